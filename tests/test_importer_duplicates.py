"""A duplicate is not a dead end: an import of a posting already tracked shows the saved job,
offers to open it, or to update it with the fields the person picks."""

from decimal import Decimal
from http import HTTPStatus

import pytest
from django.urls import reverse

from importer.models import ImportPreview
from importer.posting import Posting
from jobs.models import Job
from tests.jobs_fixtures import add_job, note_bodies

URL = "https://jobs.example/42"


@pytest.fixture
def saved(user):
    return add_job(
        user,
        "Backend Developer",
        company="Initech",
        location="",
        salary_min=Decimal(50000),
        url=URL,
        notes="Ask Sam about the team",
    )


def make_preview(user, **changes) -> ImportPreview:
    posting = Posting(
        title="Backend Developer",
        company="Initech",
        location="Berlin",
        salary_min=Decimal(60000),
        salary_max=Decimal(70000),
        salary_currency="EUR",
        url=URL,
        source="jsonld",
        **changes,
    )
    return ImportPreview.objects.create(
        owner=user, method="link", status=ImportPreview.Status.READY, postings=[posting.as_json()]
    )


def test_a_second_import_shows_the_saved_job_and_what_changed(client_logged_in, user, saved):
    preview = make_preview(user)

    response = client_logged_in.get(reverse("importer:preview", args=[preview.pk]))
    html = response.content.decode()

    assert response.status_code == HTTPStatus.OK
    assert 'data-testid="import-duplicate"' in html
    assert reverse("jobs:detail", args=[saved.pk]) in html
    changed = [change.name for change in response.context["changes"]]
    assert changed == ["location", "salary_min", "salary_max", "salary_currency"]
    assert 'name="take" value="location"' in html
    assert 'name="take" value="title"' not in html  # unchanged
    assert "Berlin" in html and "60,000" in html
    assert reverse("importer:update", args=[preview.pk]) in html


def test_the_person_takes_only_the_fields_they_pick(client_logged_in, user, saved):
    preview = make_preview(user)

    response = client_logged_in.post(
        reverse("importer:update", args=[preview.pk]),
        {"posting": "0", "take": ["location", "salary_max"]},
    )

    saved.refresh_from_db()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("jobs:detail", args=[saved.pk])
    assert saved.location == "Berlin"
    assert saved.salary_max == Decimal(70000)
    assert saved.salary_min == Decimal(50000)  # not picked
    assert note_bodies(saved) == ["Ask Sam about the team"]
    assert not ImportPreview.objects.filter(pk=preview.pk).exists()
    assert Job.objects.filter(user=user).count() == 1


def test_picking_nothing_is_a_clear_error(client_logged_in, user, saved):
    preview = make_preview(user)

    response = client_logged_in.post(
        reverse("importer:update", args=[preview.pk]), {"posting": "0"}
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert b"Pick at least one field" in response.content
    assert ImportPreview.objects.filter(pk=preview.pk).exists()


def test_a_field_that_did_not_change_cannot_be_forced_in(client_logged_in, user, saved):
    preview = make_preview(user)

    response = client_logged_in.post(
        reverse("importer:update", args=[preview.pk]), {"posting": "0", "take": ["notes"]}
    )

    saved.refresh_from_db()
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert note_bodies(saved) == ["Ask Sam about the team"]


def test_an_update_without_a_saved_job_goes_back_to_the_preview(client_logged_in, user):
    preview = make_preview(user)

    response = client_logged_in.post(
        reverse("importer:update", args=[preview.pk]), {"posting": "0", "take": ["location"]}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("importer:preview", args=[preview.pk]))


def test_an_outsider_cannot_update_through_someone_elses_preview(client, other_user, user, saved):
    preview = make_preview(user)
    client.force_login(other_user)

    response = client.post(
        reverse("importer:update", args=[preview.pk]), {"posting": "0", "take": ["location"]}
    )

    saved.refresh_from_db()
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert saved.location == ""


def test_the_update_is_a_service(user, saved):
    from importer.services import preview_update_job

    preview = make_preview(user)
    posting = Posting(location="Berlin", url=URL)

    job = preview_update_job(preview=preview, job=saved, posting=posting, fields=["location"])

    assert job.location == "Berlin"
    assert not ImportPreview.objects.filter(pk=preview.pk).exists()
