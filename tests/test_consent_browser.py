"""The consent banner in Chromium: reject, accept with a nonce, GPC, and no JavaScript at all.

The analytics script is served by the live server itself (no network): it marks that it ran
and sets a `_ga` cookie, as the real tag would.
"""

import re

import pytest
from django.http import HttpResponse
from django.urls import include, path

from consent.models import ConsentRecord, Method

pytestmark = [pytest.mark.browser]

FAKE_TAG = 'window.__analyticsRan = true; document.cookie = "_ga=GA1.1.42; path=/";'


def fake_analytics(request):
    return HttpResponse(FAKE_TAG, content_type="application/javascript")


urlpatterns = [
    path("test-analytics.js", fake_analytics),
    path("", include("jobtrax.urls")),
]


@pytest.fixture
def site(live_server, settings, transactional_db):
    settings.ROOT_URLCONF = __name__
    settings.CONSENT_ANALYTICS_GA4_ID = ""
    settings.CONSENT_ANALYTICS_SCRIPT_URL = f"{live_server.url}/test-analytics.js"
    return live_server.url


def cookie_names(context) -> set[str]:
    return {cookie["name"] for cookie in context.cookies()}


def analytics_ran(page) -> bool:
    return page.evaluate("window.__analyticsRan === true")


def test_it_shows_the_banner_on_a_first_visit(site, page):
    page.goto(site + "/")

    banner = page.locator("#consent-banner")
    assert banner.is_visible()
    for name in ("Accept all", "Reject all", "Choose"):
        assert (
            banner.get_by_role("button", name=name)
            .or_(banner.get_by_role("link", name=name))
            .is_visible()
        )
    assert page.locator("#analytics-loader").count() == 0


def test_it_leaves_no_analytics_script_or_cookie_after_reject_all(site, page):
    page.goto(site + "/")

    page.get_by_role("button", name="Reject all").click()
    page.wait_for_load_state()

    assert page.locator("#consent-banner").count() == 0
    assert page.locator("#analytics-loader, #analytics-tag").count() == 0
    assert not analytics_ran(page)
    assert "_ga" not in cookie_names(page.context)
    assert ConsentRecord.objects.get().method == Method.REJECT_ALL


def test_it_renders_the_tag_with_a_valid_nonce_after_accept_all(site, page):
    page.goto(site + "/")
    page.get_by_role("button", name="Accept all").click()
    page.wait_for_load_state()

    response = page.goto(site + "/")
    page.wait_for_function("window.__analyticsRan === true")

    header = response.headers["content-security-policy"]
    nonce = re.search(r"'nonce-([^']+)'", header).group(1)
    assert page.eval_on_selector("#analytics-tag", "el => el.nonce") == nonce
    assert page.eval_on_selector("#analytics-loader", "el => el.nonce") == nonce
    assert "_ga" in cookie_names(page.context)

    # Withdrawing expires the analytics cookie in the same response.
    page.goto(site + "/privacy/choices/")
    page.get_by_role("button", name="Withdraw all consent").click()
    page.wait_for_load_state()
    assert "_ga" not in cookie_names(page.context)
    assert page.locator("#analytics-tag").count() == 0


def test_it_runs_no_analytics_under_gpc_even_after_accept_all(site, browser):
    context = browser.new_context()
    context.set_default_timeout(15_000)
    context.set_extra_http_headers({"Sec-GPC": "1"})
    context.add_init_script(
        "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true})"
    )
    page = context.new_page()
    try:
        page.goto(site + "/")
        assert page.locator("#consent-banner [data-gpc-notice]").is_visible()

        page.get_by_role("button", name="Accept all").click()
        page.wait_for_load_state()

        assert page.get_by_text("we honour it").first.is_visible()
        assert page.locator("#analytics-loader, #analytics-tag").count() == 0
        assert not analytics_ran(page)
        assert "_ga" not in cookie_names(context)

        page.goto(site + "/privacy/choices/")
        assert page.get_by_text("Global Privacy Control detected and honoured").is_visible()
        assert page.locator("#analytics-tag").count() == 0
        assert not analytics_ran(page)
        methods = list(ConsentRecord.objects.order_by("id").values_list("method", "analytics"))
        assert methods == [(Method.GPC, False), (Method.ACCEPT_ALL, False)]
    finally:
        context.close()


def test_it_records_the_script_signal_without_the_header(site, browser):
    context = browser.new_context()
    context.set_default_timeout(15_000)
    context.add_init_script(
        "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true})"
    )
    page = context.new_page()
    try:
        with page.expect_response(lambda r: r.url.endswith("/privacy/choices/gpc/")):
            page.goto(site + "/")
        assert page.locator("#consent-banner [data-gpc-notice]").is_visible()
        # The first signal gives the browser its consent cookie; the next, which brings the
        # cookie back, is recorded (a client that keeps no cookie writes nothing).
        assert not ConsentRecord.objects.exists()
        with page.expect_response(lambda r: r.url.endswith("/privacy/choices/gpc/")):
            page.goto(site + "/")
        assert ConsentRecord.objects.get().method == Method.GPC
    finally:
        context.close()


def test_it_records_the_script_signal_after_analytics_was_accepted(site, browser):
    context = browser.new_context()
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto(site + "/")
        page.get_by_role("button", name="Accept all").click()
        page.wait_for_load_state()
        page.add_init_script(
            "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true})"
        )
        page.evaluate("window.__analyticsRan = false")

        with page.expect_response(lambda r: r.url.endswith("/privacy/choices/gpc/")):
            page.goto(site + "/")

        assert not analytics_ran(page)
        latest = ConsentRecord.objects.latest("id")
        assert (latest.method, latest.analytics) == (Method.GPC, False)
    finally:
        context.close()


def test_the_banner_forms_work_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto(site + "/")
        page.get_by_role("button", name="Reject all").click()
        page.wait_for_load_state()
        assert page.locator("#consent-banner").count() == 0
        assert ConsentRecord.objects.get().method == Method.REJECT_ALL

        page.goto(site + "/privacy/choices/")
        page.get_by_label("Analytics").check()
        page.get_by_role("button", name="Save cookie choices").click()
        page.wait_for_load_state()
        latest = ConsentRecord.objects.latest("id")
        assert (latest.method, latest.analytics) == (Method.CUSTOM, True)
        assert page.locator("#analytics-loader").count() == 1  # rendered, though JS is off
    finally:
        context.close()
