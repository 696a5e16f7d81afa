"""A link that cannot be imported says what happened and what to do next, against a real HTTP
server on 127.0.0.1. Only a malformed address is called a typo."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from importer.models import ImportPreview
from tests.loopback_site import LoopbackSite

START = "/jobs/import/"
PASTE = reverse("importer:start") + "#by-page"
BOOKMARKLET = reverse("importer:bookmarklet")


@pytest.fixture
def site(settings):
    settings.IMPORTER_ALLOW_LOOPBACK = True
    settings.IMPORTER_FETCH_TIMEOUT = 1.0
    server = LoopbackSite().start()
    yield server
    server.stop()


def import_link(client, url, capture):
    with capture(execute=True):
        started = client.post(START, {"kind": "link", "url": url})
    assert started.status_code == HTTPStatus.FOUND
    return client.get(started["Location"])


@pytest.mark.parametrize(
    ("route", "words", "next_steps"),
    [
        (
            {"status": 403, "body": b"<h1>Forbidden</h1>"},
            ("refuses", "servers"),
            (PASTE, BOOKMARKLET),
        ),
        (
            {"status": 999, "body": b""},
            ("refuses", "servers"),
            (PASTE, BOOKMARKLET),
        ),
        (
            {"body": b"<!doctype html><html><head></head><body><p></p></body></html>"},
            ("no job posting",),
            (PASTE,),
        ),
        (
            {"body": b"<html><title>Job</title></html>", "delay": 2.5},
            ("did not answer in time",),
            (PASTE,),
        ),
        (
            {"body": b"%PDF-1.7", "content_type": "application/pdf"},
            ("not a web page",),
            (PASTE,),
        ),
    ],
    ids=["refused", "refused-999", "no-posting", "timeout", "not-a-page"],
)
def test_a_failed_link_says_what_happened_and_what_to_do_next(
    client_logged_in, site, django_capture_on_commit_callbacks, route, words, next_steps
):
    url = site.route("/job/1", **route)

    page = import_link(client_logged_in, url, django_capture_on_commit_callbacks)
    html = page.content.decode()
    start = html.index('data-testid="import-error"')
    message = html[start : html.index("</p>", start)]

    assert page.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    for word in words:
        assert word in message.lower()
    assert "typo" not in html
    for step in next_steps:
        assert f'href="{step}"' in html
    assert ImportPreview.objects.get().status == ImportPreview.Status.FAILED


@pytest.mark.parametrize("url", ["htps//example.com/jobs/1", "https://", "example dot com"])
def test_only_a_malformed_address_is_called_a_typo(client_logged_in, url):
    response = client_logged_in.post(START, {"kind": "link", "url": url})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert b"typo" in response.content
    assert not ImportPreview.objects.exists()


def test_an_unknown_site_name_is_not_called_a_typo():
    from importer.services import message_for

    assert "typo" not in message_for("dns_failure")
