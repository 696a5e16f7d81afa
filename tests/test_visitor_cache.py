"""First-time visitors' pages are rendered once every few seconds per process
(jobtrax.visitorcache), and each response still carries a nonce and a CSRF token of its own."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from jobtrax import visitorcache

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NONCE = re.compile(r'nonce="([^"]+)"')


@pytest.fixture(autouse=True)
def _fresh():
    visitorcache.clear()
    yield
    visitorcache.clear()


def _visit(client, path="/"):
    response = client.get(path)
    assert response.status_code == 200
    return response, response.content.decode()


def test_a_second_first_time_visitor_gets_the_kept_page_with_their_own_nonce_and_token():
    first, first_html = _visit(Client())
    second, second_html = _visit(Client())
    assert visitorcache._pages  # kept
    nonces = set(NONCE.findall(second_html))
    assert len(nonces) == 1
    [nonce] = nonces
    assert f"'nonce-{nonce}'" in second["Content-Security-Policy"]
    assert nonce not in first_html
    assert TOKEN.findall(second_html)[0] != TOKEN.findall(first_html)[0]
    assert "~visitor-" not in second_html
    # The page is otherwise the same.
    assert TOKEN.sub("", NONCE.sub("", first_html)) == TOKEN.sub("", NONCE.sub("", second_html))


def test_the_kept_pages_token_passes_the_csrf_check():
    visitor = Client(enforce_csrf_checks=True)
    _visit(Client())  # kept
    _, html = _visit(visitor)
    token = TOKEN.findall(html)[0]
    response = visitor.post(
        reverse("consent:decide"), {"decision": "reject", "csrfmiddlewaretoken": token}
    )
    assert response.status_code != 403


def test_a_visitor_with_a_consent_cookie_gets_a_page_of_their_own(client):
    _visit(Client())
    client.cookies["jobtrax_consent"] = "anything"
    _visit(client)
    assert len(visitorcache._pages) == 1  # not kept for them
    client.cookies.clear()
    client.cookies["othercookie"] = "1"
    assert not visitorcache._plain_visit(client.get("/").wsgi_request)


def test_signed_in_people_and_query_strings_are_never_served_the_kept_page(client, user):
    _visit(Client())
    client.force_login(user)
    _, html = _visit(client)
    assert "Sign out" in html or "sign out" in html.lower()
    assert not visitorcache._plain_visit(Client().get("/?utm=1").wsgi_request)


def test_the_notice_page_is_kept_too_and_gpc_visitors_get_their_own():
    _visit(Client(), reverse("privacy:notice"))
    _visit(Client(headers={"Sec-GPC": "1"}), reverse("privacy:notice"))
    paths = {key for key in visitorcache._pages}
    assert (reverse("privacy:notice"), "") in paths
    assert (reverse("privacy:notice"), "1") in paths


def test_kept_pages_expire(monkeypatch):
    _visit(Client())
    now = visitorcache.time.monotonic()
    monkeypatch.setattr(visitorcache.time, "monotonic", lambda: now + visitorcache.SECONDS + 1)
    before = dict(visitorcache._pages)
    _visit(Client())
    assert visitorcache._pages[("/", "")][0] > before[("/", "")][0]


def test_the_sign_in_page_is_kept_with_its_headers_and_signs_in_with_the_token_put_back(user):
    first, _ = _visit(Client(), reverse("account_login"))
    visitor = Client(enforce_csrf_checks=True)
    second, html = _visit(visitor, reverse("account_login"))
    assert (reverse("account_login"), "") in visitorcache._pages
    assert second.get("Cache-Control") == first.get("Cache-Control")
    token = TOKEN.findall(html)[0]
    response = visitor.post(
        reverse("account_login"),
        {"login": user.email, "password": "x-wrong-password-x", "csrfmiddlewaretoken": token},
    )
    assert response.status_code != 403  # the token passed; the password did not
    assert b"not correct" in response.content or response.status_code == 200
