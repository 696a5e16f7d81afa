"""Upgrading turns each job's notes box into its first dated note, and going back joins a job's
dated notes into the box again: no job loses a word either way."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("jobs", "0007_contacts")]
AFTER = [("jobs", "0008_dated_notes")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def at_0007(transactional_db):
    apps = _migrate(BEFORE)
    yield apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


ADDED = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def test_each_jobs_notes_become_its_first_note_dated_when_the_job_was_added(at_0007, user):
    Job = at_0007.get_model("jobs", "Job")
    long_text = "Called Sam.\nThey reply on Friday. " + "x" * 9_000
    noted = Job.objects.create(user_id=user.pk, title="Noted", notes=long_text, created_at=ADDED)
    Job.objects.create(user_id=user.pk, title="Blank", notes="  \n ")
    Job.objects.create(user_id=user.pk, title="Empty", notes="")

    apps = _migrate(AFTER)

    JobNote = apps.get_model("jobs", "JobNote")
    notes = list(JobNote.objects.values_list("job_id", "user_id", "body", "written_at"))
    assert notes == [(noted.pk, user.pk, long_text, ADDED)]
    assert "notes" not in {f.name for f in apps.get_model("jobs", "Job")._meta.concrete_fields}


def test_a_migrated_note_sorts_as_the_oldest_on_the_job_page(at_0007, client, user):
    Job = at_0007.get_model("jobs", "Job")
    job = Job.objects.create(user_id=user.pk, title="Noted", notes="From the box", created_at=ADDED)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # the current models, whole
    from jobs import notes
    from jobs.models import Job as CurrentJob

    notes.note_add(job=CurrentJob.objects.get(pk=job.pk), body="Written today")
    client.force_login(user)

    page = client.get(f"/jobs/{job.pk}/")

    assert [note.body for note in page.context["notes"]] == ["Written today", "From the box"]


def test_going_back_joins_the_notes_oldest_first_each_with_its_date(at_0007, user):
    Job = at_0007.get_model("jobs", "Job")
    job = Job.objects.create(user_id=user.pk, title="Noted", notes="From the box", created_at=ADDED)
    bare = Job.objects.create(user_id=user.pk, title="Bare")
    apps = _migrate(AFTER)
    JobNote = apps.get_model("jobs", "JobNote")
    JobNote.objects.create(
        job_id=job.pk, user_id=user.pk, body="Second\nline",
        written_at=datetime(2026, 4, 2, 14, 5, tzinfo=UTC),
    )  # fmt: skip

    Job = _migrate(BEFORE).get_model("jobs", "Job")

    assert Job.objects.get(pk=job.pk).notes == (
        "[2026-03-01 09:30 UTC] From the box\n\n[2026-04-02 14:05 UTC] Second\nline"
    )
    assert Job.objects.get(pk=bare.pk).notes == ""
