"""The banner, the choices page, GPC over HTTP, the analytics tag and its CSP, cookie expiry."""

import json
import re
from http import HTTPStatus

import pytest

from consent.models import ConsentRecord, Method
from consent.state import cookie_name

HOME = "/"
CHOICES = "/privacy/choices/"
DECIDE = "/privacy/choices/decide/"
GPC = {"Sec-GPC": "1"}
SCRIPT_URL = "https://stats.example.org/tag.js"


@pytest.fixture
def analytics_tag(settings):
    settings.CONSENT_ANALYTICS_SCRIPT_URL = SCRIPT_URL
    settings.CONSENT_ANALYTICS_GA4_ID = ""
    return SCRIPT_URL


def decide(client, action: str, granted=(), headers=None, next_url=HOME):
    return client.post(
        DECIDE, {"action": action, "granted": list(granted), "next": next_url}, headers=headers
    )


def csp(response) -> str:
    return response.headers.get("Content-Security-Policy", "")


def test_it_shows_the_banner_on_a_first_visit_with_equal_choices_and_nothing_ticked(client, db):
    html = client.get(HOME).content.decode()

    assert 'id="consent-banner"' in html
    for label in ("Accept all", "Reject all", "Choose"):
        assert label in html
    banner = html[html.index('id="consent-banner"') :]
    assert "checked" not in banner
    # Accept and reject are the same kind of button: neither is more prominent.
    assert re.search(r'<button type="submit" name="action" value="accept-all">', banner)
    assert re.search(r'<button type="submit" name="action" value="reject-all">', banner)


def test_it_hides_the_banner_once_a_choice_is_made(client, db):
    response = decide(client, "reject-all")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == HOME
    assert cookie_name() in response.cookies
    assert 'id="consent-banner"' not in client.get(HOME).content.decode()


def test_it_links_the_choices_page_from_every_page_footer(client, db):
    html = client.get(HOME).content.decode()

    assert f'href="{CHOICES}">Privacy choices' in html
    assert f'href="{CHOICES}">Do Not Sell or Share My Personal Information' in html


def test_it_says_in_plain_words_that_jobtrax_does_not_sell_personal_data(client, db):
    response = client.get(CHOICES)

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "JobTrax does not sell your personal data" in html
    assert "Do Not Sell or Share My Personal Information" in html


def test_it_shows_the_current_choices_on_the_choices_page(client, db):
    decide(client, "accept-all")

    html = client.get(CHOICES).content.decode()

    assert re.search(r'data-category="analytics">\s*On', html)
    assert re.search(r'data-category="necessary">\s*Always on', html)


def test_it_withdraws_with_one_click_from_the_choices_page(client, db):
    decide(client, "accept-all")

    decide(client, "withdrawal", next_url=CHOICES)

    latest = ConsentRecord.objects.latest("id")
    assert (latest.method, latest.analytics) == (Method.WITHDRAWAL, False)


def test_it_saves_a_custom_choice(client, db):
    decide(client, "custom", granted=["analytics"])

    latest = ConsentRecord.objects.get()
    assert (latest.method, latest.analytics) == (Method.CUSTOM, True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "custom", "granted": ["advertising"]}, "Unknown consent category"),
        ({"action": "sell-everything"}, "Unknown choice"),
        ({"action": ""}, "This field is required"),
        ({"action": "custom", "granted": ["marketing"]}, "need an account"),
        ({"action": "gpc-override"}, "no Global Privacy Control signal"),
        ({"action": "settings", "granted": ["marketing"]}, "Sign in"),
    ],
)
def test_it_rejects_a_bad_choice_with_a_clear_error(client, db, data, message):
    response = client.post(DECIDE, data)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in response.content.decode()
    assert not ConsentRecord.objects.exists()


def test_it_refuses_a_get_on_the_decision_endpoint(client, db):
    assert client.get(DECIDE).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_it_ignores_a_redirect_to_another_site(client, db):
    response = decide(client, "reject-all", next_url="https://evil.example/")

    assert response["Location"] == CHOICES


@pytest.mark.parametrize(
    "next_url",
    [
        "foo",
        "consent:choices",
        "javascript:alert(1)",
        "//evil.example/",
        "/\\evil.example/",
        "http://testserver//evil.example/",
        "/data/\x00",
        "/" + "a" * 4096,
        "",
    ],
)
def test_it_saves_the_choice_and_goes_back_safely_whatever_the_next_value(client, db, next_url):
    response = decide(client, "reject-all", next_url=next_url)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == CHOICES
    assert ConsentRecord.objects.get().method == Method.REJECT_ALL


@pytest.mark.parametrize(
    ("referer", "location"),
    [
        ("http://testserver/data/?tab=logs", "/data/?tab=logs"),
        ("https://evil.example/data/", CHOICES),
        ("not a url", CHOICES),
    ],
)
def test_it_goes_back_to_the_page_the_choice_was_made_on(client, db, referer, location):
    response = decide(client, "reject-all", next_url="foo", headers={"Referer": referer})

    assert response["Location"] == location


def test_it_keeps_a_local_next_with_its_query(client, db):
    response = decide(client, "accept-all", next_url="/privacy/?from=banner")

    assert response["Location"] == "/privacy/?from=banner"


def test_it_ignores_a_forged_cookie_without_an_error(client, db):
    client.cookies[cookie_name()] = "eyJiIjoiYWJjZGVmZ2hpamtsIiwiYSI6dHJ1ZX0:forged:sig"

    response = client.get(HOME)

    assert response.status_code == HTTPStatus.OK
    assert 'id="consent-banner"' in response.content.decode()


def test_it_lets_a_signed_in_user_choose_marketing_emails_separately(client_logged_in, user):
    response = decide(client_logged_in, "settings", granted=["marketing"], next_url=CHOICES)

    assert response.status_code == HTTPStatus.FOUND
    latest = ConsentRecord.objects.get(user=user)
    assert (latest.method, latest.marketing, latest.analytics) == (Method.SETTINGS, True, False)
    html = client_logged_in.get(CHOICES).content.decode()
    assert re.search(r'value="marketing" checked', html)


def test_it_shows_a_visitor_no_marketing_box(client, db):
    html = client.get(CHOICES).content.decode()

    assert 'value="marketing"' not in html
    assert "Marketing emails need an account" in html


# --- Global Privacy Control ---------------------------------------------------------------------


def test_it_serves_the_gpc_well_known_resource(client, db):
    response = client.get("/.well-known/gpc.json")

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["gpc"] is True
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", body["lastUpdate"])


def test_it_records_gpc_once_and_shows_it_is_honoured(client, db):
    first = client.get(HOME, headers=GPC)
    client.get(HOME, headers=GPC)
    client.get(CHOICES, headers=GPC)

    assert list(ConsentRecord.objects.values_list("method", flat=True)) == [Method.GPC]
    assert "Global Privacy Control detected and honoured" in first.content.decode()
    assert (
        "Global Privacy Control detected and honoured"
        in client.get(CHOICES, headers=GPC).content.decode()
    )


def test_it_keeps_analytics_off_after_accept_all_under_gpc_and_explains(client, db, analytics_tag):
    response = decide(client, "accept-all", headers=GPC)
    page = client.get(HOME, headers=GPC)

    assert ConsentRecord.objects.latest("id").analytics is False
    assert SCRIPT_URL not in page.content.decode()
    assert "stats.example.org" not in csp(page)
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("Global Privacy Control" in m and "honour" in m for m in messages)


def test_it_renders_analytics_after_an_explicit_gpc_override(client, db, analytics_tag):
    decide(client, "accept-all", headers=GPC)
    decide(client, "gpc-override", headers=GPC)

    page = client.get(HOME, headers=GPC)

    assert SCRIPT_URL in page.content.decode()
    assert ConsentRecord.objects.filter(method=Method.GPC_OVERRIDE).count() == 1


def test_it_records_the_script_signal_when_the_header_is_missing(client, db):
    client.post("/privacy/choices/gpc/")  # the first sight gives the browser its cookie
    response = client.post("/privacy/choices/gpc/")

    assert response.status_code == HTTPStatus.NO_CONTENT
    assert ConsentRecord.objects.get().method == Method.GPC


def test_two_hundred_cookieless_script_signals_add_no_rows(client, db):
    for _ in range(200):
        client.cookies.clear()
        assert client.post("/privacy/choices/gpc/").status_code == HTTPStatus.NO_CONTENT

    assert not ConsentRecord.objects.exists()


def test_it_does_not_act_on_do_not_track(client, db, analytics_tag):
    dnt = {"DNT": "1"}
    client.get(HOME, headers=dnt)
    decide(client, "accept-all", headers=dnt)

    page = client.get(HOME, headers=dnt)

    assert not ConsentRecord.objects.filter(method=Method.GPC).exists()
    assert SCRIPT_URL in page.content.decode()


# --- the analytics tag and the CSP ------------------------------------------------------------


def test_it_renders_no_analytics_tag_and_no_host_in_the_csp_before_consent(
    client, db, analytics_tag
):
    page = client.get(HOME)

    assert SCRIPT_URL not in page.content.decode()
    assert "stats.example.org" not in csp(page)


def test_it_renders_no_analytics_tag_after_reject_all(client, db, analytics_tag):
    decide(client, "reject-all")

    page = client.get(HOME)

    assert SCRIPT_URL not in page.content.decode()
    assert "stats.example.org" not in csp(page)


def test_it_renders_the_tag_with_the_csp_nonce_and_allows_its_host_after_accept_all(
    client, db, analytics_tag
):
    decide(client, "accept-all")

    page = client.get(HOME)

    html = page.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", csp(page)).group(1)
    assert f'<script nonce="{nonce}" id="analytics-loader" data-src="{SCRIPT_URL}">' in html
    script_src = re.search(r"script-src ([^;]+)", csp(page)).group(1)
    assert "https://stats.example.org" in script_src
    assert "googletagmanager" not in html


def test_it_sets_google_consent_mode_defaults_to_denied_for_ga4(client, db, settings):
    settings.CONSENT_ANALYTICS_GA4_ID = "G-TEST1234"
    decide(client, "accept-all")

    page = client.get(HOME)

    html = page.content.decode()
    assert 'gtag("consent", "default", {ad_storage: "denied"' in html
    assert 'analytics_storage: "denied"}' in html
    assert 'gtag("config", "G-TEST1234")' in html
    assert "https://www.googletagmanager.com" in csp(page)


def test_it_renders_no_tag_when_processing_is_restricted(client_logged_in, user, analytics_tag):
    from django.utils import timezone

    decide(client_logged_in, "accept-all")
    user.processing_restricted_at = timezone.now()
    user.save(update_fields=["processing_restricted_at"])

    page = client_logged_in.get(HOME)

    assert SCRIPT_URL not in page.content.decode()


def test_it_expires_analytics_cookies_in_the_withdrawal_response(client, db, settings):
    settings.CONSENT_ANALYTICS_COOKIE_NAMES = ["_vendor_id"]
    decide(client, "accept-all")
    for name in ("_ga", "_ga_ABC123", "_vendor_id", "sessionid_like"):
        client.cookies[name] = "value"

    response = decide(client, "withdrawal")

    for name in ("_ga", "_ga_ABC123", "_vendor_id"):
        assert response.cookies[name]["max-age"] == 0, name
    assert "sessionid_like" not in response.cookies


def test_it_keeps_analytics_cookies_while_analytics_is_granted(client, db):
    decide(client, "accept-all")
    client.cookies["_ga"] = "GA1.1.1"

    response = client.get(HOME)

    assert "_ga" not in response.cookies


def test_it_expires_analytics_cookies_when_gpc_arrives(client, db):
    decide(client, "accept-all")
    client.cookies["_ga"] = "GA1.1.1"

    response = client.get(HOME, headers=GPC)

    assert response.cookies["_ga"]["max-age"] == 0


# --- GPC from a signed-in browser ---------------------------------------------------------------


@pytest.mark.parametrize("path", ["/profile/", HOME, "/data/", CHOICES])
def test_it_serves_a_signed_in_person_whose_browser_sends_gpc(client_logged_in, user, path):
    response = client_logged_in.get(path, headers=GPC)

    assert response.status_code == HTTPStatus.OK
    record = ConsentRecord.objects.get(user=user)
    assert (record.method, record.analytics, record.gpc) == (Method.GPC, False, True)


def test_it_records_the_script_signal_for_a_signed_in_person(client_logged_in, user):
    response = client_logged_in.post("/privacy/choices/gpc/", headers=GPC)

    assert response.status_code == HTTPStatus.NO_CONTENT
    assert ConsentRecord.objects.get(user=user).method == Method.GPC
