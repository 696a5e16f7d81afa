"""The tracker in the privacy core: declared, exported, erased, kept only as long as said,
never in logs, Sentry or the audit trail, and still working under a restriction."""

import io
import json
import logging
import zipfile
from datetime import timedelta
from http import HTTPStatus

import jsonschema
import pytest
import sentry_sdk
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jobs import services
from jobs.models import Job, Stage, StageChange, TrackerSettings
from jobtrax import datamap
from tests.jobs_fixtures import add_job, note_bodies

pytestmark = pytest.mark.django_db

TITLE = "Secret-role-title-7781"
URL = "https://careers.example/apply/9931?token=abc"
NOTES = "private-note-5521"


def test_jobs_and_their_history_are_declared_with_purpose_recipients_and_retention():
    kinds = {kind.name: kind for kind in datamap.kinds()}

    for name, model in (("jobs", "jobs.Job"), ("job_stage_changes", "jobs.StageChange")):
        kind = kinds[name]
        assert kind.model == model
        assert kind.legal_basis == datamap.CONTRACT == "Performance of a contract"
        assert set(kind.recipients) == {datamap.HOSTING, datamap.EMAIL}
        assert kind.ccpa_category == "Professional or employment-related information"
        assert kind.retention == "archived_jobs"
        assert kind.erase == datamap.DELETE
    policy = datamap.policy("archived_jobs")
    assert (policy.setting, policy.default_days, policy.action) == (
        "RETENTION_ARCHIVED_JOB_DAYS", 730, datamap.DELETE
    )  # fmt: skip
    assert policy.window_display == "24 months"


def test_the_export_holds_the_jobs_their_history_and_explains_them(user):
    from rights.export import write_zip

    job = add_job(user, TITLE, url=URL, notes=NOTES, salary_min="1000", date_posted="2026-11-01")
    services.job_move(job=job, stage=Stage.APPLIED)
    target = io.BytesIO()

    write_zip(user_id=user.pk, target=target)

    archive = zipfile.ZipFile(target)
    data = json.loads(archive.read("data.json"))
    jsonschema.validate(data, json.loads(archive.read("schema.json")))
    [exported] = data["records"]["jobs"]
    assert (exported["title"], exported["url"]) == (TITLE, URL)
    [note] = data["records"]["job_notes"]
    assert (note["job_id"], note["body"]) == (job.pk, NOTES)
    assert note["written_at"] == job.created_at.isoformat()
    assert exported["stage"] == "applied"
    assert "url_key" not in exported
    moves = [(m["from_stage"], m["to_stage"]) for m in data["records"]["job_stage_changes"]]
    assert moves == [("", "saved"), ("saved", "applied")]
    assert TITLE in archive.read("jobs.csv").decode()
    assert "applied" in archive.read("job_stage_changes.csv").decode()
    readme = archive.read("README.html").decode()
    for words in ("Jobs you track", "Stage history of the jobs you track",
                  "Performance of a contract", "Email delivery provider", "24 months"):  # fmt: skip
        assert words in readme


def test_erasing_an_account_deletes_its_jobs_and_history(user, other_user):
    from rights.erasure import erase_account

    job = add_job(user, TITLE)
    services.job_move(job=job, stage=Stage.OFFER)
    TrackerSettings.objects.create(user=user, reminders_enabled=False)
    theirs = add_job(other_user, "Bob keeps this")

    assert erase_account(user_id=user.pk, reason="request")

    assert not Job.objects.filter(title=TITLE).exists()
    assert not StageChange.objects.filter(user_id=user.pk).exists()
    assert not TrackerSettings.objects.filter(user_id=user.pk).exists()
    assert Job.objects.filter(pk=theirs.pk).exists()


def test_archived_jobs_are_deleted_after_the_window(user, settings):
    from logs_retention.services import retention_run

    now = timezone.now()
    old = add_job(user, "Archived long ago")
    recent = add_job(user, "Archived last month")
    live = add_job(user, "Still on the board")
    Job.objects.filter(pk=old.pk).update(archived_at=now - timedelta(days=731))
    Job.objects.filter(pk=recent.pk).update(archived_at=now - timedelta(days=30))
    Job.objects.filter(pk=live.pk).update(created_at=now - timedelta(days=2000))

    retention_run(policy_name="archived_jobs")

    assert set(Job.objects.values_list("title", flat=True)) == {
        "Archived last month", "Still on the board"
    }  # fmt: skip
    assert not StageChange.objects.filter(job_id=old.pk).exists()

    settings.RETENTION_ARCHIVED_JOB_DAYS = 20
    retention_run(policy_name="archived_jobs")
    assert list(Job.objects.values_list("title", flat=True)) == ["Still on the board"]


def test_the_policy_runs_daily_from_the_beat():
    from jobtrax.celery import app

    entry = app.conf.beat_schedule["retention-archived-jobs"]
    assert entry["args"] == ("archived_jobs",)


def test_your_data_shows_the_jobs_kept_with_a_link_and_the_purge_date(client_logged_in, user):
    add_job(user, "One")
    archived = add_job(user, "Two")
    services.job_archive(job=archived)
    purge = archived.archived_at + timedelta(days=730)

    html = client_logged_in.get(reverse("rights:your_data")).content.decode()

    panel = html[html.index('data-testid="tracker-data"') :]
    assert '<dd data-testid="jobs-kept">2 (1 archived)</dd>' in panel
    assert f'<span data-testid="next-purge">{purge:%-d %b %Y}</span>' in panel
    assert reverse("jobs:board") in panel
    assert "Jobs you track" in html and "24 months" in html


def _use_the_tracker(client, user) -> Job:
    client.post(
        reverse("jobs:new"), {"title": TITLE, "workplace": "remote", "url": URL, "notes": NOTES}
    )
    job = Job.objects.get(user=user)
    client.get(reverse("jobs:detail", args=[job.pk]))
    client.get(reverse("jobs:list"), {"q": TITLE})
    client.post(reverse("jobs:move", args=[job.pk]), {"stage": "applied"})
    client.post(reverse("jobs:note_add", args=[job.pk]), {"body": NOTES + " more"})
    client.get(reverse("jobs:export_csv"))
    client.post(reverse("jobs:new"), {"title": TITLE, "workplace": "remote", "url": URL})
    return job


def test_no_title_url_or_note_reaches_the_logs_or_the_audit_trail(client_logged_in, user, caplog):
    from logs_retention.models import RequestLog, SecurityEvent
    from logs_retention.requestlog import buffer
    from rights.models import AuditRecord

    caplog.set_level(logging.DEBUG)
    _use_the_tracker(client_logged_in, user)
    buffer.flush()

    routes = set(RequestLog.objects.values_list("route", flat=True))
    assert {"jobs:new", "jobs:detail", "jobs:list", "jobs:move", "jobs:note_add"} <= routes
    stored = json.dumps(list(RequestLog.objects.values()), default=str) + json.dumps(
        list(SecurityEvent.objects.values()) + list(AuditRecord.objects.values()), default=str
    )
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in (TITLE, "careers.example", "token=abc", NOTES):
        assert secret not in stored
        assert secret not in logged


def test_no_title_url_or_note_reaches_sentry(user, monkeypatch):
    from tests.test_sentry import CapturingTransport

    transport = CapturingTransport()
    from jobtrax.sentry import init_sentry

    init_sentry(dsn="https://public@sentry.invalid/1", environment="test", transport=transport)
    try:
        client = Client(raise_request_exception=False)
        client.force_login(user)

        def broken(*args, **kwargs):
            raise RuntimeError("the message store is down")

        monkeypatch.setattr("jobs.views.messages.success", broken)
        response = client.post(
            reverse("jobs:new") + f"?title={TITLE}",
            {"title": TITLE, "workplace": "remote", "url": URL, "notes": NOTES},
        )
        sentry_sdk.flush()
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.get_global_scope().set_client(None)
        sentry_sdk.get_isolation_scope().set_client(None)
        sentry_sdk.get_current_scope().set_client(None)

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert Job.objects.filter(user=user).exists()  # the error came after the save
    assert any(event.get("exception") for event in transport.events())
    sent = b"".join(envelope.serialize() for envelope in transport.envelopes).decode()
    for secret in (TITLE, "careers.example", "token=abc", NOTES):
        assert secret not in sent


def test_the_tracker_keeps_working_under_a_restriction(client_logged_in, user):
    client_logged_in.post(reverse("rights:restriction_request"))
    user.refresh_from_db()
    assert user.processing_restricted_at is not None

    job = _use_the_tracker(client_logged_in, user)

    job.refresh_from_db()
    assert job.stage == "applied" and note_bodies(job) == [NOTES, NOTES + " more"]
    assert client_logged_in.get(reverse("jobs:board")).status_code == HTTPStatus.OK
    assert client_logged_in.get(reverse("jobs:calendar")).status_code == HTTPStatus.OK
