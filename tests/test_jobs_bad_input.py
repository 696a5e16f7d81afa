"""Bad input on every tracker form: a clear error, never a 500, nothing saved or changed."""

import io
from http import HTTPStatus

import pytest
from django.urls import reverse

from jobs.models import Job, StageChange
from tests.jobs_fixtures import add_job, note_bodies

pytestmark = pytest.mark.django_db

VALID = {"title": "Data engineer", "company": "Acme", "workplace": "remote"}

# (field, bad value, words of the error shown)
BAD_JOB_FIELDS = [
    ("title", "", "required"),
    ("title", "   ", "required"),
    ("title", "x" * 201, "at most 200"),
    ("title", "Data\x00engineer", "Null characters"),
    ("company", "é" * 2000, "at most 200"),
    ("workplace", "moon", "Select a valid choice"),
    ("employment_type", "slave", "Select a valid choice"),
    ("salary_min", "-1", "greater than or equal to 0"),
    ("salary_max", "-0.01", "greater than or equal to 0"),
    ("salary_min", "NaN", "Enter a number"),
    ("salary_min", "Infinity", "Enter a number"),
    ("salary_min", "1e400", "less than or equal to"),
    ("salary_min", "99999999999999", "less than or equal to"),
    ("salary_min", "50k", "Enter a number"),
    ("salary_currency", "XYZ", "Select a valid choice"),
    ("salary_currency", "usd", "Select a valid choice"),
    ("salary_currency", "€", "Select a valid choice"),
    ("salary_interval", "fortnight", "Select a valid choice"),
    ("url", "javascript:alert(1)", "https://"),
    ("url", "JaVaScRiPt:alert(document.cookie)", "https://"),
    ("url", " javascript:alert(1)", "https://"),
    ("url", "data:text/html,<script>alert(1)</script>", "https://"),
    ("url", "ftp://files.example/job", "https://"),
    ("url", "https://", "https://"),
    ("url", "https://jobs.example/" + "a" * 2100, "at most 2000"),
    ("apply_url", "vbscript:msgbox(1)", "https://"),
    ("date_posted", "0001-01-01", "between 1990 and 2100"),
    ("valid_through", "9999-12-31", "between 1990 and 2100"),
    ("valid_through", "2026-02-30", "Enter a valid date"),
    ("valid_through", "10000-01-01", "Enter a valid date"),
    ("applied_on", "1899-12-31", "between 1990 and 2100"),
    ("follow_up_on", "tomorrow", "Enter a valid date"),
    ("notes", "n" * 10_001, "at most 10000"),
    ("notes", "a\x00b", "Null characters"),
    ("description", "d" * 100_001, "at most 100000"),
]


# A saved job's notes are not part of its edit form: they change one by one on its page
# (tests/test_jobs_notes.py).
BAD_EDIT_FIELDS = [case for case in BAD_JOB_FIELDS if case[0] != "notes"]


def _ids(case) -> str:
    return f"{case[0]}-{case[1][:12]!r}"


@pytest.mark.parametrize(
    "field, value, words", BAD_JOB_FIELDS, ids=[_ids(c) for c in BAD_JOB_FIELDS]
)
def test_adding_a_job_with_bad_input_says_what_is_wrong(client_logged_in, field, value, words):
    response = client_logged_in.post(reverse("jobs:new"), {**VALID, field: value})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert words in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    "field, value, words", BAD_EDIT_FIELDS, ids=[_ids(c) for c in BAD_EDIT_FIELDS]
)
def test_editing_a_job_with_bad_input_changes_nothing(client_logged_in, user, field, value, words):
    job = add_job(user, "Untouched", notes="as before")

    response = client_logged_in.post(reverse("jobs:edit", args=[job.pk]), {**VALID, field: value})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert words in response.content.decode()
    job.refresh_from_db()
    assert (job.title, note_bodies(job)) == ("Untouched", ["as before"])


def test_an_inverted_salary_range_is_refused(client_logged_in):
    response = client_logged_in.post(
        reverse("jobs:new"), {**VALID, "salary_min": "90000", "salary_max": "50000"}
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "cannot be lower than the minimum" in response.content.decode()
    assert not Job.objects.exists()


def test_unicode_is_kept_as_typed(client_logged_in, user):
    title = "Ingénieur·e données 日本語 🚀 ‏עברית"

    client_logged_in.post(reverse("jobs:new"), {**VALID, "title": title, "notes": "Ça va ✓"})

    job = Job.objects.get(user=user)
    assert (job.title, note_bodies(job)) == (title, ["Ça va ✓"])


@pytest.mark.parametrize(
    "body, content_type",
    [
        (b"", "application/x-www-form-urlencoded"),
        (b"title=%ff%fe%00&company=%c3%28", "application/x-www-form-urlencoded"),
        (b'{"title": "x"}', "application/json"),
        (
            b"--nope\r\nContent-Disposition: form-data\r\n\r\n\x00\xff",
            "multipart/form-data; boundary=nope",
        ),
        (b"title[]=a&title[]=b", "application/x-www-form-urlencoded"),
        (b"title=" + b"x" * (300 * 1024), "application/x-www-form-urlencoded"),
    ],
    ids=["empty", "invalid-utf8", "json", "multipart-garbage", "php-array", "too-big"],
)
def test_garbage_bodies_are_4xx_not_5xx(client_logged_in, body, content_type):
    response = client_logged_in.generic("POST", reverse("jobs:new"), body, content_type)

    assert HTTPStatus.BAD_REQUEST <= response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    "data",
    [{}, {"stage": ""}, {"stage": "hired"}, {"stage": "applied\x00"}, {"stage": "é" * 500}],
    ids=["empty", "blank", "unknown", "nul", "long-unicode"],
)
def test_a_bad_move_changes_nothing(client_logged_in, user, data):
    job = add_job(user)

    plain = client_logged_in.post(reverse("jobs:move", args=[job.pk]), data)
    scripted = client_logged_in.post(
        reverse("jobs:move", args=[job.pk]), data, HTTP_X_REQUESTED_WITH="fetch"
    )

    assert plain.status_code == HTTPStatus.FOUND
    assert scripted.status_code == HTTPStatus.BAD_REQUEST
    assert Job.objects.get(pk=job.pk).stage == "saved"
    assert StageChange.objects.filter(job=job).count() == 1


@pytest.mark.parametrize(
    "data, words",
    [
        ({"follow_up_on": "0001-01-01"}, "between 1990 and 2100"),
        ({"follow_up_on": "31/31/2026"}, "Enter a valid date"),
        ({"applied_on": "9999-01-01"}, "between 1990 and 2100"),
    ],
)
def test_a_bad_follow_up_changes_nothing(client_logged_in, user, data, words):
    job = add_job(user, notes="before")

    response = client_logged_in.post(reverse("jobs:tracking", args=[job.pk]), data)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert words in response.content.decode()
    job.refresh_from_db()
    assert (note_bodies(job), job.follow_up_on) == (["before"], None)


@pytest.mark.parametrize(
    "query",
    [
        {"sort": "'; DROP TABLE jobs_job; --"},
        {"stage": "nope", "workplace": "\u2603"},
        {"q": "x" * 5000},
        {"q": "%", "page": "-1"},
        {"page": "99999999999999999999"},
        {"archived": "maybe", "page": "abc"},
    ],
)
def test_bad_list_filters_still_show_the_list(client_logged_in, user, query):
    add_job(user, "Visible role")

    response = client_logged_in.get(reverse("jobs:list"), query)

    assert response.status_code == HTTPStatus.OK
    assert Job.objects.count() == 1


def test_a_nul_byte_in_a_list_filter_is_a_clear_bad_request(client_logged_in, user):
    add_job(user, "Visible role")

    response = client_logged_in.get(reverse("jobs:list"), {"workplace": "\x00"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert Job.objects.count() == 1


@pytest.mark.parametrize(
    "value, enabled",
    [("", False), ("false", False), ("on", True), ("\x00", True), ("x" * 1000, True)],
)
def test_the_reminder_setting_takes_anything_as_on_or_off(client_logged_in, user, value, enabled):
    from jobs.reminders import tracker_settings_for

    response = client_logged_in.post(
        reverse("jobs:reminder_settings"), {"reminders_enabled": value}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert tracker_settings_for(user).reminders_enabled is enabled


@pytest.mark.parametrize(
    "upload",
    [
        {},
        {"file": ""},
        {"file": io.BytesIO(b"")},
    ],
    ids=["no-file", "blank", "empty-file"],
)
def test_a_missing_csv_upload_is_a_clear_error(client_logged_in, upload):
    if "file" in upload and hasattr(upload["file"], "read"):
        upload["file"].name = "jobs.csv"

    response = client_logged_in.post(reverse("jobs:csv_import"), upload)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "errorlist" in response.content.decode()
