"""The Content-Security-Policy header is built once per settings, yet reads as django-csp's own."""

import re
from http import HTTPStatus

import pytest
from csp.utils import build_policy

from jobtrax.csp import policy_header

pytestmark = pytest.mark.django_db

NONCE = re.compile(r"'nonce-([^']+)'")


@pytest.mark.parametrize(
    "update",
    [None, {"script-src": ["https://www.googletagmanager.com"], "connect-src": ["https://a.b"]}],
    ids=["settings-only", "with-an-update"],
)
@pytest.mark.parametrize("nonce", [None, "abc123=="], ids=["no-nonce", "nonce"])
@pytest.mark.parametrize("report_only", [False, True], ids=["enforced", "report-only"])
def test_it_matches_django_csp(update, nonce, report_only, settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'self'"]}}
    expected = build_policy(update=update, nonce=nonce, report_only=report_only)
    for _ in range(2):  # built, then remembered
        got = policy_header(
            config=None, update=update, replace=None, nonce=nonce, report_only=report_only
        )
        assert got == expected


def test_each_response_gets_its_own_nonce(client):
    first = client.get("/").headers["Content-Security-Policy"]
    second = client.get("/").headers["Content-Security-Policy"]
    assert NONCE.search(first) and NONCE.search(second)
    assert NONCE.search(first).group(1) != NONCE.search(second).group(1)
    assert NONCE.sub("", first) == NONCE.sub("", second)


def test_the_page_nonce_is_the_header_nonce(client):
    response = client.get("/")
    nonce = NONCE.search(response.headers["Content-Security-Policy"]).group(1)
    assert f'nonce="{nonce}"'.encode() in response.content


def test_a_settings_change_is_seen_at_once(client, settings):
    before = client.get("/").headers["Content-Security-Policy"]
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "img-src": ["'none'"]}
    }
    after = client.get("/").headers["Content-Security-Policy"]
    assert "img-src 'self' data:" in before
    assert "img-src 'none'" in after


def test_an_excluded_prefix_gets_no_header(client, settings):
    settings.CONTENT_SECURITY_POLICY = {
        **settings.CONTENT_SECURITY_POLICY,
        "EXCLUDE_URL_PREFIXES": ["/privacy"],
    }
    assert client.get("/privacy/").status_code == HTTPStatus.OK
    assert "Content-Security-Policy" not in client.get("/privacy/").headers
    assert "Content-Security-Policy" in client.get("/").headers
