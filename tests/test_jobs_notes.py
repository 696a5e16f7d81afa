"""A job's notes are a list of dated entries: added, edited and deleted one by one on the job
page (without JavaScript), shown newest first in the person's time zone, found by the list's
search, carried by the CSV, the API and the data export, and never shown to staff."""

import io
import json
import zipfile
from datetime import UTC, datetime, timedelta
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jobs import notes, services
from jobs.models import Job, JobNote, TrackerSettings
from tests.conftest import staff_login
from tests.jobs_fixtures import add_job, note_bodies
from tests.test_api import api_post, bearer, make_token
from tests.test_jobs_csv import _confirm, _export, _rows, _upload

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - timedelta(days=30)


@pytest.fixture
def job(user):
    job = add_job(user, "Data engineer")
    Job.objects.filter(pk=job.pk).update(updated_at=LONG_AGO)
    job.refresh_from_db()
    return job


def _page(client, job) -> str:
    return client.get(reverse("jobs:detail", args=[job.pk])).content.decode()


# Adding ---------------------------------------------------------------------------------------


def test_a_note_is_added_from_the_job_page_and_dated_now(client_logged_in, user, job):
    before = timezone.now()

    response = client_logged_in.post(
        reverse("jobs:note_add", args=[job.pk]), {"body": "  Called Sam: reply Friday.  "}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("jobs:detail", args=[job.pk]) + "#notes"
    [note] = JobNote.objects.filter(job=job)
    assert (note.body, note.user_id, note.edited_at) == ("Called Sam: reply Friday.", user.pk, None)
    assert note.written_at >= before
    job.refresh_from_db()
    assert job.updated_at >= before  # counts as activity on the job
    assert "Called Sam: reply Friday." in _page(client_logged_in, job)


def test_the_job_page_has_a_plain_form_to_add_a_note(client_logged_in, job):
    html = _page(client_logged_in, job)

    notes_panel = html[html.index('data-testid="notes"') :]
    assert f'action="{reverse("jobs:note_add", args=[job.pk])}"' in notes_panel
    assert 'method="post"' in notes_panel and 'name="body"' in notes_panel
    assert "No notes yet." in notes_panel


@pytest.mark.parametrize(
    "body, words",
    [
        ("", "Write something in the note."),
        ("   \n  ", "Write something in the note."),
        ("n" * 10_001, "at most 10000"),
        ("a\x00b", "Null characters"),
    ],
)
def test_a_bad_note_says_what_is_wrong_and_changes_nothing(client_logged_in, job, body, words):
    response = client_logged_in.post(reverse("jobs:note_add", args=[job.pk]), {"body": body})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert words in response.content.decode()
    assert not JobNote.objects.exists()
    job.refresh_from_db()
    assert job.updated_at == LONG_AGO


def test_a_job_holds_at_most_so_many_notes(user, job, monkeypatch):
    monkeypatch.setattr(notes, "MAX_PER_JOB", 2)
    notes.note_add(job=job, body="one")
    notes.note_add(job=job, body="two")

    with pytest.raises(notes.TooManyNotes):
        notes.note_add(job=job, body="three")

    assert note_bodies(job) == ["one", "two"]


# Showing --------------------------------------------------------------------------------------


def test_notes_are_shown_newest_first_dated_in_the_persons_time_zone(client_logged_in, user, job):
    TrackerSettings.objects.update_or_create(user=user, defaults={"time_zone": "Asia/Tokyo"})
    notes.note_add(job=job, body="Older", written_at=datetime(2026, 1, 1, 23, 30, tzinfo=UTC))
    notes.note_add(job=job, body="Newer", written_at=datetime(2026, 2, 3, 9, 0, tzinfo=UTC))

    html = _page(client_logged_in, job)

    panel = html[html.index('data-testid="notes"') :]
    assert panel.index("Newer") < panel.index("Older")
    assert "Fri 2 Jan 2026, 08:30" in panel  # 23:30 UTC is the next morning in Tokyo
    assert "Tue 3 Feb 2026, 18:00" in panel
    assert "Asia/Tokyo" in panel


def test_a_notes_line_breaks_are_kept_and_its_markup_is_not_run(client_logged_in, job):
    notes.note_add(job=job, body="First line\n<script>alert(1)</script>")

    html = _page(client_logged_in, job)

    assert "First line<br>&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_job_page_takes_as_many_queries_for_200_notes_as_for_1(client, user, other_user):
    def fill(owner, count):
        job = add_job(owner)
        JobNote.objects.bulk_create(
            JobNote(job=job, user=owner, body=f"Note {i}", written_at=LONG_AGO + timedelta(i))
            for i in range(count)
        )
        return reverse("jobs:detail", args=[job.pk])

    def queries(owner, url):
        client.force_login(owner)
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == HTTPStatus.OK
        return len(captured)

    one = queries(user, fill(user, 1))
    many = queries(other_user, fill(other_user, 200))

    assert one == many


# Editing and deleting -------------------------------------------------------------------------


def test_a_note_is_edited_keeping_its_date(client_logged_in, job):
    note = notes.note_add(job=job, body="Call Sam", written_at=LONG_AGO)
    Job.objects.filter(pk=job.pk).update(updated_at=LONG_AGO)
    url = reverse("jobs:note_edit", args=[note.pk])

    form = client_logged_in.get(url)
    response = client_logged_in.post(url, {"body": "Call Sam on Monday"})

    assert form.status_code == HTTPStatus.OK and "Call Sam</textarea>" in form.content.decode()
    assert response.status_code == HTTPStatus.FOUND
    note.refresh_from_db()
    assert (note.body, note.written_at) == ("Call Sam on Monday", LONG_AGO)
    assert note.edited_at is not None
    job.refresh_from_db()
    assert job.updated_at > LONG_AGO
    assert "(edited " in _page(client_logged_in, job)


def test_an_edit_to_nothing_is_refused(client_logged_in, job):
    note = notes.note_add(job=job, body="Call Sam")

    response = client_logged_in.post(reverse("jobs:note_edit", args=[note.pk]), {"body": " "})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Write something in the note." in response.content.decode()
    note.refresh_from_db()
    assert (note.body, note.edited_at) == ("Call Sam", None)


def test_a_note_is_deleted_only_after_confirming_with_a_post(client_logged_in, job):
    note = notes.note_add(job=job, body="Old plan")
    Job.objects.filter(pk=job.pk).update(updated_at=LONG_AGO)
    url = reverse("jobs:note_delete", args=[note.pk])

    asked = client_logged_in.get(url)

    assert asked.status_code == HTTPStatus.OK
    assert "Delete the note" in asked.content.decode() and 'method="post"' in asked.content.decode()
    assert JobNote.objects.filter(pk=note.pk).exists()

    response = client_logged_in.post(url)

    assert response.status_code == HTTPStatus.FOUND
    assert not JobNote.objects.filter(pk=note.pk).exists()
    job.refresh_from_db()
    assert job.updated_at > LONG_AGO


# Other people ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["note_edit", "note_delete"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_persons_note_is_not_found(client, user, other_user, name, method):
    theirs = notes.note_add(job=add_job(other_user), body="their secret note")
    client.force_login(user)

    response = getattr(client, method)(reverse(f"jobs:{name}", args=[theirs.pk]), {"body": "x"})

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert b"their secret note" not in response.content
    theirs.refresh_from_db()
    assert theirs.body == "their secret note"


def test_no_note_is_added_to_another_persons_job(client, user, other_user):
    theirs = add_job(other_user)
    client.force_login(user)

    response = client.post(reverse("jobs:note_add", args=[theirs.pk]), {"body": "mine now"})

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not JobNote.objects.exists()


@pytest.mark.parametrize("path", ["/jobs/notes/99999999999999999999999/edit/",
                                  "/jobs/notes/99999999999999999999999/delete/"])  # fmt: skip
def test_a_huge_note_id_is_not_found(client_logged_in, path):
    assert client_logged_in.get(path).status_code == HTTPStatus.NOT_FOUND


# Going with the job ---------------------------------------------------------------------------


def test_notes_go_with_their_job(user, job):
    notes.note_add(job=job, body="one")
    kept = notes.note_add(job=add_job(user, "Other"), body="kept")

    services.job_delete(job=job)

    assert list(JobNote.objects.values_list("pk", flat=True)) == [kept.pk]


def test_notes_go_with_an_archived_job_when_its_time_is_up(user, job, settings):
    from logs_retention.services import retention_run

    notes.note_add(job=job, body="one")
    services.job_archive(job=job)
    Job.objects.filter(pk=job.pk).update(archived_at=timezone.now() - timedelta(days=800))

    retention_run(policy_name="archived_jobs")

    assert not JobNote.objects.exists()


def test_notes_go_with_the_account(user, job):
    notes.note_add(job=job, body="one")

    user.delete()

    assert not JobNote.objects.exists()


def test_notes_are_declared_kept_with_their_job_and_exported(user, job):
    from jobtrax import datamap
    from rights.export import write_zip

    kind = next(k for k in datamap.kinds() if k.model == "jobs.JobNote")
    assert (kind.retention, kind.erase) == ("archived_jobs", datamap.DELETE)
    notes.note_add(job=job, body="Asked about the team", written_at=LONG_AGO)
    notes.note_add(job=job, body="Second round booked")
    target = io.BytesIO()

    write_zip(user_id=user.pk, target=target)

    data = json.loads(zipfile.ZipFile(target).read("data.json"))
    exported = sorted((n["body"], n["written_at"]) for n in data["records"]["job_notes"])
    assert [body for body, _ in exported] == ["Asked about the team", "Second round booked"]
    assert all(written_at for _, written_at in exported)


def test_your_data_counts_the_notes(client_logged_in, job):
    notes.note_add(job=job, body="one")
    notes.note_add(job=job, body="two")

    html = client_logged_in.get(reverse("rights:your_data")).content.decode()

    assert '<dd data-testid="notes-kept">2</dd>' in html


def test_staff_see_that_a_note_exists_never_what_it_says(client, superuser, user, job):
    note = notes.note_add(job=job, body="private-note-body-31")
    staff_login(client, superuser)

    listing = client.get(reverse("admin:jobs_jobnote_changelist"))
    detail = client.get(reverse("admin:jobs_jobnote_change", args=[note.pk]))

    assert listing.status_code == detail.status_code == HTTPStatus.OK
    assert b"private-note-body-31" not in listing.content + detail.content


# The list -------------------------------------------------------------------------------------


def _titles(response) -> list[str]:
    return [job.title for job in response.context["page"]]


def test_the_list_search_finds_words_in_any_note(client_logged_in, user):
    found = add_job(user, "Found")
    notes.note_add(job=found, body="Nothing here")
    notes.note_add(job=found, body="Met them at the FAIR")
    other = add_job(user, "Other")
    notes.note_add(job=other, body="Nothing here either")

    response = client_logged_in.get(reverse("jobs:list"), {"q": "fair"})

    assert _titles(response) == ["Found"]  # once, however many notes match


def test_a_new_note_puts_the_job_first_by_last_activity(client_logged_in, user):
    first = add_job(user, "Added first")
    add_job(user, "Added last")

    notes.note_add(job=first, body="Called them")

    response = client_logged_in.get(reverse("jobs:list"), {"sort": "updated"})
    assert _titles(response)[0] == "Added first"


def test_the_searched_list_takes_as_many_queries_for_500_jobs_as_for_10(
    client, user, other_user, settings
):
    settings.PAGE_CACHE = False  # the list rendered on each request, as after every change

    def fill(owner, count):
        jobs = Job.objects.bulk_create(Job(user=owner, title=f"Role {i}") for i in range(count))
        JobNote.objects.bulk_create(
            JobNote(job=job, user=owner, body=f"Called about role {i}", written_at=LONG_AGO)
            for i, job in enumerate(jobs)
            for _ in range(2)
        )

    def queries(owner):
        client.force_login(owner)
        url = reverse("jobs:list")
        client.get(url, {"q": "called"})
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, {"q": "called"})
        assert response.status_code == HTTPStatus.OK and response.context["page"]
        return len(captured)

    fill(user, 10)
    fill(other_user, 500)

    assert queries(user) == queries(other_user)


# Ways in and out ------------------------------------------------------------------------------


def test_the_add_a_job_forms_notes_become_the_first_note(client_logged_in, user):
    response = client_logged_in.post(
        reverse("jobs:new"), {"title": "Analyst", "workplace": "remote", "notes": "Via Ana"}
    )

    job = Job.objects.get(user=user)
    assert response.status_code == HTTPStatus.FOUND
    [note] = JobNote.objects.filter(job=job)
    assert (note.body, note.written_at) == ("Via Ana", job.created_at)


def test_the_edit_form_leaves_the_notes_alone(client_logged_in, user):
    job = add_job(user, notes="Keep me")
    url = reverse("jobs:edit", args=[job.pk])

    form = client_logged_in.get(url).context["form"]
    client_logged_in.post(url, {"title": "Renamed", "workplace": "remote", "notes": "Replaced"})

    assert "notes" not in form.fields
    assert note_bodies(job) == ["Keep me"]


def test_the_csv_export_joins_the_notes_oldest_first_each_with_its_date(client_logged_in, job):
    notes.note_add(job=job, body="Second", written_at=datetime(2026, 4, 2, 14, 5, tzinfo=UTC))
    notes.note_add(job=job, body="First", written_at=datetime(2026, 3, 1, 9, 30, tzinfo=UTC))

    [row] = _rows(_export(client_logged_in))

    assert row["notes"] == "[2026-03-01 09:30 UTC] First\n\n[2026-04-02 14:05 UTC] Second"


def test_another_trackers_notes_cell_becomes_one_note(client_logged_in, user):
    content = 'Job Title,Company,Comments\nDesigner,Studio,"Nice team\n\n[2026] not a date"\n'

    _confirm(client_logged_in, _upload(client_logged_in, content))

    assert note_bodies(Job.objects.get(user=user)) == ["Nice team\n\n[2026] not a date"]


def test_a_jobtrax_export_brings_each_dated_note_back(client, user, job):
    from tests.conftest import make_user

    notes.note_add(job=job, body="First", written_at=datetime(2026, 3, 1, 9, 30, tzinfo=UTC))
    notes.note_add(job=job, body="Second\nline", written_at=datetime(2026, 4, 2, 14, 5, tzinfo=UTC))
    client.force_login(user)
    exported = _export(client)
    newcomer = make_user("carol@example.com")
    client.force_login(newcomer)

    _confirm(client, _upload(client, exported))

    moved = Job.objects.get(user=newcomer)
    assert list(
        JobNote.objects.filter(job=moved).order_by("written_at").values_list("written_at", "body")
    ) == [
        (datetime(2026, 3, 1, 9, 30, tzinfo=UTC), "First"),
        (datetime(2026, 4, 2, 14, 5, tzinfo=UTC), "Second\nline"),
    ]
    assert set(JobNote.objects.filter(job=moved).values_list("user_id", flat=True)) == {newcomer.pk}


# The API --------------------------------------------------------------------------------------


def test_the_api_takes_notes_on_create_and_returns_dated_entries(client, user):
    secret = make_token(user)

    created = api_post(client, "/jobs", {"title": "SRE", "notes": "From the script"}, secret)

    assert created.status_code == HTTPStatus.CREATED
    [entry] = created.json()["notes"]
    assert entry["body"] == "From the script"
    assert set(entry) == {"body", "written_at"}
    job = Job.objects.get(user=user)
    written_at = datetime.fromisoformat(entry["written_at"])
    assert abs(written_at - job.created_at) < timedelta(milliseconds=1)  # JSON keeps ms


def test_the_api_adds_a_note_replaces_them_all_or_adds_one_with_a_change(client, user):
    secret = make_token(user)
    job = add_job(user, notes="first")

    added = api_post(client, f"/jobs/{job.pk}/notes", {"body": "second"}, secret)
    patched = api_post(client, f"/jobs/{job.pk}", {"notes": "third"}, secret, "patch")
    read = client.get(f"/api/v1/jobs/{job.pk}", **bearer(secret)).json()

    assert added.status_code == HTTPStatus.CREATED and added.json()["body"] == "second"
    assert patched.status_code == HTTPStatus.OK
    assert [n["body"] for n in read["notes"]] == ["third", "second", "first"]  # newest first

    replaced = api_post(client, f"/jobs/{job.pk}/notes", {"notes": "only"}, secret, "put")

    assert [n["body"] for n in replaced.json()["notes"]] == ["only"]
    assert note_bodies(job) == ["only"]


def test_the_api_refuses_an_empty_note_and_another_persons_job(client, user, other_user):
    secret = make_token(user)
    mine, theirs = add_job(user), add_job(other_user)

    empty = api_post(client, f"/jobs/{mine.pk}/notes", {"body": "  "}, secret)
    foreign = api_post(client, f"/jobs/{theirs.pk}/notes", {"body": "x"}, secret)

    assert empty.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert foreign.status_code == HTTPStatus.NOT_FOUND
    assert not JobNote.objects.exists()


def test_the_writing_assistant_sends_no_note(user, job):
    from jobs.assist import text_to_send

    notes.note_add(job=job, body="private-note-body-52")
    job.description = "<p>We build pipelines.</p>"

    sent = text_to_send(job=job, text="My cover note", include_description=True)

    assert "private-note-body-52" not in sent and "My cover note" in sent
