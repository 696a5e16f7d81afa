"""The installable app: the web manifest linked from every page, its share target leading to
the importer (nothing saved without a tap), the service worker and the offline page."""

import json
from http import HTTPStatus

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from importer.models import ImportPreview
from jobs.models import Job


def test_the_home_page_links_the_web_manifest(client, db):
    html = client.get(reverse("home")).content.decode()

    assert '<link rel="manifest" href="/manifest.webmanifest">' in html


def test_the_manifest_is_installable_and_shares_to_the_importer(client, db):
    response = client.get("/manifest.webmanifest")
    manifest = json.loads(response.content)

    assert response["Content-Type"] == "application/manifest+json"
    assert manifest["display"] == "standalone"
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in manifest["icons"]}
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix(settings.STATIC_URL)), icon["src"]
    share = manifest["share_target"]
    assert share["action"] == reverse("importer:share")
    assert share["method"] == "POST"
    assert share["params"] == {"title": "title", "text": "text", "url": "url"}


def test_a_share_asks_to_confirm_and_saves_nothing(client_logged_in, user):
    response = client_logged_in.post(
        reverse("importer:share"),
        {"title": "SRE at Hooli", "text": "Look: https://jobs.example/sre?utm_source=app"},
    )

    assert response.status_code == HTTPStatus.OK
    assert response.context["link"] == "https://jobs.example/sre?utm_source=app"
    assert 'action="/jobs/import/"' in response.content.decode()
    assert not ImportPreview.objects.exists()
    assert not Job.objects.exists()


def test_the_share_needs_no_csrf_token_but_its_confirmation_does(user):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)

    shared = strict.post(reverse("importer:share"), {"url": "https://jobs.example/1"})
    confirmed_without_token = strict.post(
        reverse("importer:start"), {"kind": "link", "url": "https://jobs.example/1"}
    )

    assert shared.status_code == HTTPStatus.OK
    assert confirmed_without_token.status_code == HTTPStatus.FORBIDDEN
    assert not ImportPreview.objects.exists()


def test_the_confirmation_opens_the_importer_preview(
    client_logged_in, user, settings, django_capture_on_commit_callbacks
):
    from tests.importer_fixtures import job_site

    site = job_site(settings)
    try:
        url = site.url("/careers/data-analyst")
        page = client_logged_in.post(reverse("importer:share"), {"text": f"Apply {url}"})
        assert page.context["link"] == url
        with django_capture_on_commit_callbacks(execute=True):
            confirmed = client_logged_in.post(
                reverse("importer:start"), {"kind": "link", "via": "share", "url": url}
            )
    finally:
        site.stop()

    preview = ImportPreview.objects.get(owner=user)
    assert confirmed["Location"] == reverse("importer:preview", args=[preview.pk])
    assert preview.status == ImportPreview.Status.READY
    assert preview.method == "share"
    assert not Job.objects.exists()


def test_shared_text_without_a_link_is_offered_as_a_pasted_posting(client_logged_in):
    response = client_logged_in.post(reverse("importer:share"), {"text": "Barista, Lisbon"})

    assert response.context["link"] == ""
    assert 'name="kind" value="paste"' in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [{}, {"url": "   "}, {"text": "\x00"}],
    ids=["nothing", "blank", "nul"],
)
def test_an_empty_share_is_a_clear_400(client_logged_in, data):
    response = client_logged_in.post(reverse("importer:share"), data)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Nothing was shared" in response.content.decode()


def test_a_share_when_signed_out_asks_to_sign_in_and_keeps_nothing(client, db):
    response = client.post(reverse("importer:share"), {"url": "https://jobs.example/1"})

    assert response.status_code == HTTPStatus.OK
    assert "Sign in to JobTrax, then share the job again" in response.content.decode()


def test_the_share_target_takes_only_posts(client_logged_in):
    assert client_logged_in.get(reverse("importer:share")).status_code == 405


def test_the_service_worker_caches_only_the_offline_page_and_its_files(client, db):
    response = client.get("/sw.js")
    code = response.content.decode()

    assert response["Content-Type"].startswith("text/javascript")
    assert 'const OFFLINE_URL = "/offline/"' in code
    # Forms other than the share target go to the network untouched.
    assert 'request.method !== "GET" && new URL(request.url).pathname !== SHARE_URL' in code
    assert "cache.put" not in code  # nothing fetched is ever stored
    assert client.get("/offline/").status_code == HTTPStatus.OK


def test_the_sending_page_explains_each_device(client_logged_in):
    html = client_logged_in.get(reverse("importer:bookmarklet")).content.decode()

    assert "On a computer: the browser extension" in html
    assert "On Android: share to JobTrax" in html
    assert "iPhone and iPad (Safari)" in html
    assert 'data-testid="bookmarklet-code"' in html
