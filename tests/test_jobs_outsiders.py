"""Another person's job is a 404 on every URL of the tracker, never a 403 that confirms it."""

from http import HTTPStatus

import pytest
from django.urls import URLPattern, reverse

from jobs.models import Job, StageChange
from jobs.urls import urlpatterns
from tests.jobs_fixtures import add_job, note_bodies

ALL_URLS = [p for p in urlpatterns if isinstance(p, URLPattern)]
JOB_URLS = [p.name for p in ALL_URLS if "pk" in p.pattern.converters]
# The private calendar feed is read by calendar apps, without a session.
PUBLIC = {"calendar_feed"}


def test_every_job_url_is_covered():
    assert set(JOB_URLS) >= {
        "detail", "edit", "move", "tracking", "archive", "unarchive", "delete", "job_calendar"
    }  # fmt: skip


@pytest.mark.parametrize("name", JOB_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_users_job_is_not_found(client, user, other_user, name, method):
    job = add_job(other_user, "Their secret job", notes="their notes")
    client.force_login(user)

    response = getattr(client, method)(
        reverse(f"jobs:{name}", args=[job.pk]),
        {"stage": "offer", "title": "Mine now", "notes": "overwritten", "follow_up_on": ""},
    )

    assert response.status_code == HTTPStatus.NOT_FOUND
    job.refresh_from_db()
    assert (job.title, job.stage, note_bodies(job), job.archived_at) == (
        "Their secret job", "saved", ["their notes"], None
    )  # fmt: skip
    assert StageChange.objects.filter(job=job).count() == 1
    assert b"Their secret job" not in response.content


@pytest.mark.parametrize("name", JOB_URLS)
def test_a_missing_or_huge_id_is_not_found(client_logged_in, name):
    for pk in (0, 99_999_999, 999_999_999_999_999_999):
        response = client_logged_in.get(reverse(f"jobs:{name}", args=[pk]))
        assert response.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/jobs/99999999999999999999999/", "/jobs/abc/", "/jobs/-1/"])
def test_garbage_ids_are_not_found(client_logged_in, path):
    assert client_logged_in.get(path).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.django_db
@pytest.mark.parametrize("pattern", ALL_URLS, ids=lambda p: p.name)
def test_signed_out_visitors_are_sent_to_sign_in(client, pattern):
    kwargs = {}
    if "pk" in pattern.pattern.converters:
        kwargs["pk"] = 1
    if "token" in pattern.pattern.converters:
        kwargs["token"] = "6f1c8c5e-3f7e-4a57-9a55-3b1d0c6f0a11"
    for name in ("interview_id", "contact_id", "tag_id", "note_id"):
        if name in pattern.pattern.converters:
            kwargs[name] = 1
    url = reverse(f"jobs:{pattern.name}", kwargs=kwargs)

    response = client.get(url)

    if pattern.name in PUBLIC:  # its token is its key, and a wrong one is not found
        assert response.status_code == HTTPStatus.NOT_FOUND
        return

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_login"))


def test_exports_and_calendars_hold_only_ones_own_jobs(client, user, other_user):
    add_job(other_user, "Their secret job", follow_up_on="2030-01-02")
    add_job(user, "My own job", follow_up_on="2030-01-03")
    client.force_login(user)

    for name in ("export_csv", "calendar", "list", "board"):
        body = client.get(reverse(f"jobs:{name}")).content.decode()
        assert "My own job" in body
        assert "Their secret job" not in body
    assert Job.objects.count() == 2
