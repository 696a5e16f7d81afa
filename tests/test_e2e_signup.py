"""In a real browser: sign up, verify from the mail, sign in, see the inferred country, sign out."""

import re

import pytest
from allauth.account.models import EmailAddress

from accounts.models import LocationSource, User
from tests.browser_flows import sign_in, sign_up, verify_email

LONDON_IP = "81.2.69.142"
EMAIL = "browser.user@example.com"
PASSPHRASE = "a-Browser-typed-passphrase-2024"


@pytest.fixture
def from_london(settings, page):
    """The browser talks to 127.0.0.1; a trusted proxy header gives it a London address."""
    settings.TRUST_X_FORWARDED_FOR = True
    page.context.set_extra_http_headers({"X-Forwarded-For": LONDON_IP})
    return page


@pytest.mark.browser
def test_it_signs_up_verifies_logs_in_and_out_in_a_browser(
    live_server, transactional_db, geoip, from_london, mailoutbox
):
    page = from_london
    sign_up(page, live_server.url, EMAIL, PASSPHRASE)
    user = User.objects.get(email=EMAIL)
    assert user.adult_confirmed_at is not None

    verify_email(page, live_server.url, mailoutbox, EMAIL)
    assert EmailAddress.objects.get(email=EMAIL).verified

    sign_in(page, live_server.url, EMAIL, PASSPHRASE)
    page.wait_for_url(re.compile(r"/jobs/"))  # signing in lands on the tracker
    page.goto(f"{live_server.url}/profile/")

    assert page.get_by_test_id("location").inner_text().startswith("United Kingdom")
    assert "England" in page.get_by_test_id("location").inner_text()
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
