"""In a real browser: sign up, verify from the mail, sign in, see the inferred country, sign out."""

import re
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress

from accounts.models import LocationSource, User

LONDON_IP = "81.2.69.142"
EMAIL = "browser.user@example.com"
PASSPHRASE = "a-Browser-typed-passphrase-2024"


@pytest.fixture
def from_london(settings, page):
    """The browser talks to 127.0.0.1; a trusted proxy header gives it a London address."""
    settings.TRUST_X_FORWARDED_FOR = True
    page.context.set_extra_http_headers({"X-Forwarded-For": LONDON_IP})
    return page


def _answer_the_cookie_banner(page) -> None:
    """Like a visitor would, turn down optional cookies so the banner stops covering the page."""
    banner = page.locator("#consent-banner")
    if banner.count() and banner.is_visible():
        banner.get_by_role("button", name=re.compile("reject", re.IGNORECASE)).click()
        banner.wait_for(state="detached")


def _verification_path(mailoutbox) -> str:
    [message] = [m for m in mailoutbox if m.to == [EMAIL]]
    match = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body)
    assert match, message.body
    return urlsplit(match.group(0)).path


@pytest.mark.browser
def test_it_signs_up_verifies_logs_in_and_out_in_a_browser(
    live_server, transactional_db, geoip, from_london, mailoutbox
):
    page = from_london
    page.goto(f"{live_server.url}/accounts/signup/")
    _answer_the_cookie_banner(page)
    page.locator("input[name=email], input[name=login]").fill(EMAIL)
    page.locator("input[name=password1]").fill(PASSPHRASE)
    page.locator("input[name=password2]").fill(PASSPHRASE)
    page.get_by_label("I am 18 or older").check()
    page.locator("form:has(input[name=password1]) [type=submit]").click()

    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
    user = User.objects.get(email=EMAIL)
    assert user.adult_confirmed_at is not None

    page.goto(f"{live_server.url}{_verification_path(mailoutbox)}")
    page.locator("main form [type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    assert EmailAddress.objects.get(email=EMAIL).verified

    page.locator("input[name=email], input[name=login]").fill(EMAIL)
    page.locator("input[name=password]").fill(PASSPHRASE)
    page.locator("main form [type=submit]").click()
    page.wait_for_url(re.compile(r"/profile/$"))

    assert page.get_by_test_id("location").inner_text().startswith("United Kingdom")
    assert "ENG" in page.get_by_test_id("location").inner_text()
    assert page.get_by_test_id("location-source").inner_text() == "Inferred from your IP address"
    assert "London" not in page.content()
    user.refresh_from_db()
    assert (user.country.code, user.region, user.location_source) == (
        "GB",
        "ENG",
        LocationSource.INFERRED,
    )

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    if "/accounts/logout/" in page.url:  # allauth asks to confirm when it cannot tell
        page.locator("main form [type=submit]").click()
    page.get_by_role("link", name="Sign in").first.wait_for()
    page.goto(f"{live_server.url}/profile/")
    page.wait_for_url(re.compile(r"/accounts/login/"))
