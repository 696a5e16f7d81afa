"""The import pages: start, progress, pick, preview (the jobs form, prefilled), the bookmarklet."""

import base64
import html
import json
import re
from http import HTTPStatus
from urllib.parse import unquote

import pytest
from django.urls import reverse

from importer.models import ImportPreview
from importer.services import preview_from_page
from tests.importer_fixtures import (
    CAREERS_JSONLD,
    GREENHOUSE_LINK,
    LINKEDIN_PAGE,
    job_site,
    jsonld_page,
)

START = "/jobs/import/"
HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


@pytest.fixture
def site(settings):
    server = job_site(settings)
    yield server
    server.stop()


def encode(data) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def test_it_asks_an_outsider_to_sign_in(client, db):
    response = client.get(START)

    assert response.status_code == HTTPStatus.FOUND
    assert reverse("account_login") in response["Location"]


def test_it_offers_a_link_box_a_paste_box_and_the_bookmarklet(client_logged_in):
    response = client_logged_in.get(START)

    assert response.status_code == HTTPStatus.OK
    assert b'name="url"' in response.content
    assert b'name="content"' in response.content
    assert b'id="bookmarklet-form"' in response.content
    assert reverse("importer:bookmarklet").encode() in response.content
    assert b"importer/import.js" in response.content


def test_it_imports_a_link_and_shows_the_jobs_form_prefilled(
    client_logged_in, user, site, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_logged_in.post(START, {"kind": "link", "url": GREENHOUSE_LINK})
    preview = ImportPreview.objects.get(owner=user)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("importer:preview", args=[preview.pk])
    page = client_logged_in.get(response["Location"])
    assert page.status_code == HTTPStatus.OK
    form = page.context["form"]
    assert form.initial["title"] == "Senior Platform Engineer"
    assert form.initial["company"] == "Acme Robotics"
    assert (form.initial["channel"], form.initial["board"]) == ("link", "greenhouse")
    assert form.initial["board_id"] == "4012345"
    assert b'value="Senior Platform Engineer"' in page.content


def test_it_shows_progress_while_the_link_is_read(client_logged_in, user, site):
    preview = ImportPreview.objects.create(owner=user, method="link", link=site.url("/x"))

    page = client_logged_in.get(reverse("importer:preview", args=[preview.pk]))
    status = client_logged_in.get(reverse("importer:status", args=[preview.pk]))

    assert page.status_code == HTTPStatus.OK
    assert b'http-equiv="refresh"' in page.content
    assert b"importer/progress.js" in page.content
    assert status.json() == {"status": "pending"}


def test_it_saves_the_confirmed_job_and_forgets_the_preview(client_logged_in, user, site):
    from jobs.models import Job

    preview = preview_from_page(user=user, content=LINKEDIN_PAGE)
    url = reverse("importer:preview", args=[preview.pk])
    form = client_logged_in.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["posting"] = "0"
    data["title"] = "Backend Developer (Python, edited)"

    response = client_logged_in.post(url, data)

    job = Job.objects.get(user=user)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.title == "Backend Developer (Python, edited)"
    assert job.company == "Initech"
    assert (job.channel, job.board) == ("paste", "")
    assert not ImportPreview.objects.exists()


def test_a_duplicate_shows_the_job_already_saved_and_saves_nothing(client_logged_in, user):
    from jobs.models import Job
    from jobs.services import job_create

    existing = job_create(
        user=user,
        data={"title": "Backend Developer (Python)", "url": "https://jobs.example/42"},
        channel="paste",
    )
    preview = preview_from_page(user=user, content=LINKEDIN_PAGE, url="https://jobs.example/42")
    url = reverse("importer:preview", args=[preview.pk])
    page = client_logged_in.get(url)
    data = {name: page.context["form"][name].value() or "" for name in page.context["form"].fields}

    response = client_logged_in.post(url, {**data, "posting": "0"})

    assert reverse("jobs:detail", args=[existing.pk]).encode() in page.content
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert reverse("jobs:detail", args=[existing.pk]).encode() in response.content
    assert Job.objects.filter(user=user).count() == 1
    assert ImportPreview.objects.filter(pk=preview.pk).exists()


def test_it_lets_the_user_pick_one_of_several_postings(client_logged_in, user):
    graph = {"@graph": [
        {"@type": "JobPosting", "title": "Nurse", "hiringOrganization": "Mercy"},
        {"@type": "JobPosting", "title": "Doctor", "hiringOrganization": "Mercy"},
    ]}  # fmt: skip
    preview = preview_from_page(user=user, content=jsonld_page(graph).decode())
    url = reverse("importer:preview", args=[preview.pk])

    listing = client_logged_in.get(url)
    chosen = client_logged_in.get(url + "?posting=1")

    assert b"Nurse" in listing.content and b"Doctor" in listing.content
    assert f"{url}?posting=1".encode() in listing.content
    assert chosen.context["form"].initial["title"] == "Doctor"


@pytest.mark.parametrize("posting", ["7", "-9", "x", "1e9"])
def test_a_posting_number_out_of_range_goes_back_to_the_list(client_logged_in, user, posting):
    preview = preview_from_page(user=user, content=jsonld_page(CAREERS_JSONLD).decode())
    url = reverse("importer:preview", args=[preview.pk])

    response = client_logged_in.get(url, {"posting": posting})

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == url


def test_it_discards_a_preview(client_logged_in, user):
    preview = preview_from_page(user=user, content="Some posting text")

    response = client_logged_in.post(reverse("importer:discard", args=[preview.pk]))

    assert response.status_code == HTTPStatus.FOUND
    assert not ImportPreview.objects.exists()


@pytest.mark.parametrize("name", ["importer:preview", "importer:status", "importer:discard"])
def test_another_user_cannot_see_or_discard_a_preview(client, other_user, user, name):
    preview = preview_from_page(user=user, content="Some posting text")
    client.force_login(other_user)

    response = (
        client.post(reverse(name, args=[preview.pk]))
        if "discard" in name
        else client.get(reverse(name, args=[preview.pk]))
    )

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert ImportPreview.objects.filter(pk=preview.pk).exists()


BAD_POSTS = {
    "no kind": ({}, "Choose how to import"),
    "unknown kind": ({"kind": "ftp"}, "Choose how to import"),
    "empty link": ({"kind": "link", "url": ""}, "This field is required"),
    "private link": ({"kind": "link", "url": "file:///etc/passwd"}, "not a web address"),
    "empty paste": ({"kind": "paste", "content": " "}, "This field is required"),
    "paste without posting": (
        {"kind": "paste", "content": "<html><body></body></html>"}, "No job posting was found"
    ),
    "bookmarklet not base64": ({"kind": "bookmarklet", "payload": "***"}, "expected format"),
    "bookmarklet not json": (
        {"kind": "bookmarklet", "payload": base64.urlsafe_b64encode(b"nope").decode()},
        "cannot read",
    ),
    "bookmarklet 10,000 postings": (
        {"kind": "bookmarklet", "payload": encode({"v": 1, "url": "https://a.example/",
         "jsonld": [json.dumps({"@graph": [{"@type": "JobPosting", "title": "t"}] * 10_000})]})},
        "too large",
    ),
    "bookmarklet empty": ({"kind": "bookmarklet", "payload": ""}, "expected format"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD_POSTS), ids=list(BAD_POSTS))
def test_bad_input_gets_a_clear_message_and_no_preview(client_logged_in, case):
    data, message = BAD_POSTS[case]

    response = client_logged_in.post(START, data)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message.encode() in response.content
    assert not ImportPreview.objects.exists()


def test_a_failed_link_says_why_on_the_preview_page(client_logged_in, user, site):
    preview = ImportPreview.objects.create(
        owner=user, method="link", status="failed", error="unsupported_type"
    )

    response = client_logged_in.get(reverse("importer:preview", args=[preview.pk]))

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert b"not a web page" in response.content


def test_html_and_script_in_any_field_are_shown_inert(client_logged_in, user):
    posting = dict(CAREERS_JSONLD, title=f"Analyst {HOSTILE}", description=HOSTILE)
    posting["hiringOrganization"] = {"@type": "Organization", "name": HOSTILE}
    posting["jobLocation"] = {"@type": "Place", "address": {"addressLocality": HOSTILE}}
    preview = preview_from_page(user=user, content=jsonld_page(posting).decode())

    response = client_logged_in.get(reverse("importer:preview", args=[preview.pk]))

    assert response.status_code == HTTPStatus.OK
    assert b"<script>alert(1)" not in response.content
    assert b"<img src=x onerror" not in response.content


def test_the_bookmarklet_page_offers_self_contained_code(client_logged_in):
    response = client_logged_in.get(reverse("importer:bookmarklet"))

    href = re.search(r'href="(javascript:[^"]+)"', response.content.decode())
    code = unquote(html.unescape(href.group(1)))
    assert code.startswith("javascript:")
    assert "fetch(" not in code and "XMLHttpRequest" not in code and "createElement" not in code
    assert "application/ld+json" in code and "65536" in code
    assert "http://testserver/jobs/import/" in code
    assert "location.assign" in code
