"""Layout guard in Chromium: at a desktop and a phone size, with the cookie banner still
undecided, no page scrolls sideways and the main button of every form on it can be clicked.

Add a page here when you add one to the site: a visitor page to VISITOR_PAGES, a page that
needs an account to SIGNED_IN_PAGES (URL names; reversed without arguments).
"""

import importlib

import pytest
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from tests.browser_flows import answer_the_cookie_banner
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser]

VIEWPORTS = {"desktop": (1280, 720), "phone": (390, 844)}

VISITOR_PAGES = [
    "home",
    "privacy:notice",
    "privacy:versions",
    "privacy:processors",
    "consent:choices",
    "support:contact",
    "account_login",
    "account_signup",
    "account_reset_password",
    "api:docs",
]

SIGNED_IN_PAGES = [
    "jobs:board",
    "jobs:list",
    "jobs:new",
    "jobs:csv_import",
    "inbox:forward",
    "inbox:review",
    "accounts:profile",
    "rights:your_data",
    "rights:export_request",
    "rights:deletion_request",
    "rights:objection_request",
    "rights:request_new",
    "account_email",
    "account_change_password",
    "mfa_index",
    "usersessions_list",
    "api:connected_apps",
    "api:connect_extension",
]

# Pages where the choice is made: they leave the banner out on purpose.
WITHOUT_BANNER = {"consent:choices"}

EMAIL = "layout@example.com"


@pytest.fixture
def site(live_server, transactional_db):
    # A transactional test empties the tables afterwards, the first notice included: load it
    # again the way a fresh install does, if an earlier test took it away.
    from django.apps import apps

    from privacy.models import NoticeVersion

    if not NoticeVersion.objects.exists():
        initial = importlib.import_module("privacy.migrations.0002_notice_1_0")
        initial.publish_first_version(apps, None)
    return live_server.url


def _sign_in(page, site: str) -> None:
    """Through the real sign-in form, leaving the cookie banner undecided."""
    make_user(EMAIL)
    page.goto(f"{site}{reverse('account_login')}")
    page.locator("input[name=login]").fill(EMAIL)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").first.click()
    page.wait_for_url(f"{site}{reverse('jobs:board')}")


def _problems(page, url: str, *, banner: bool) -> list[str]:
    response = page.goto(url)
    if response.status >= 400:
        return [f"answers {response.status}"]
    found = []
    if banner and not page.locator("#consent-banner").is_visible():
        found.append("the cookie banner is not shown, so the page was not checked under it")
    width, inner = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    if width > inner:
        found.append(f"scrolls sideways: {width} px wide in a {inner} px window")
    for index, form in enumerate(page.locator("main form").all()):
        buttons = form.locator("[type=submit]")
        if not buttons.count() or not buttons.first.is_visible():
            continue
        button = buttons.first
        try:
            button.click(trial=True, timeout=3000)
        except PlaywrightError:
            found.append(f"the button of form {index} cannot be clicked: something covers it")
            continue
        # click(trial=True) scrolled it into view; the button must be what is under its centre.
        on_top = button.evaluate(
            """b => { const r = b.getBoundingClientRect();
                      const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
                      return b === hit || b.contains(hit); }"""
        )
        if not on_top:
            found.append(f"the button of form {index} is covered at its centre")
    return found


def _check(page, site: str, names: list[str]) -> dict[str, list[str]]:
    report = {}
    for name in names:
        problems = _problems(page, f"{site}{reverse(name)}", banner=name not in WITHOUT_BANNER)
        if problems:
            report[name] = problems
    return report


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_no_visitor_page_scrolls_sideways_or_hides_its_button(site, browser, viewport):
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()

    report = _check(page, site, VISITOR_PAGES)

    context.close()
    assert report == {}


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_no_signed_in_page_scrolls_sideways_or_hides_its_button(site, browser, viewport):
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    _sign_in(page, site)

    report = _check(page, site, SIGNED_IN_PAGES)

    context.close()
    assert report == {}


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_footer_reaches_the_bottom_of_a_short_page(site, browser, viewport):
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"{site}{reverse('account_reset_password_done')}")
    answer_the_cookie_banner(page)

    footer_bottom = page.evaluate(
        "document.querySelector('.site-footer').getBoundingClientRect().bottom"
    )

    context.close()
    assert footer_bottom >= height - 1, f"a {height - footer_bottom} px band below the footer"


# Staff console pages, checked at the desktop size staff work at.
STAFF_PAGES = [
    "admin:index",
    "admin:accounts_user_changelist",
    "admin:rights_datasubjectrequest_changelist",
    "admin:consent_consentrecord_changelist",
]


def test_no_staff_console_page_scrolls_sideways_or_runs_long(site, browser, client, settings):
    from tests.conftest import staff_login

    member = make_user("layout-staff@example.com", is_staff=True, is_superuser=True)
    for index, country in enumerate(["GB", "SE", "DE", "FR", "US", "JP"]):
        make_user(f"user{index}@example.com", country=country, location_source="inferred")
    staff_login(client, member)
    width, height = VIEWPORTS["desktop"]
    context = browser.new_context(viewport={"width": width, "height": height})
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": site}])
    page = context.new_page()

    report = {}
    for name in STAFF_PAGES:
        page.goto(f"{site}{reverse(name)}")
        assert reverse("admin:index") in page.url, page.url  # signed in, not sent to sign in
        scroll_width, scroll_height, table_overflow = page.evaluate(
            """[document.scrollingElement.scrollWidth, document.scrollingElement.scrollHeight,
                Math.max(0, ...[...document.querySelectorAll('.results')].map(
                    r => r.scrollWidth - r.clientWidth))]"""
        )
        if scroll_width > width:
            report[name] = f"scrolls sideways: {scroll_width} px wide"
        elif table_overflow > 0:
            report[name] = f"its table scrolls sideways by {table_overflow} px"
        elif scroll_height > 4 * height:
            report[name] = f"{scroll_height} px tall"

    context.close()
    assert report == {}
