"""An export whose worker died mid-build is restarted by a beat job, and never blocks a new one."""

import secrets
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from jobtrax.celery import app
from rights import services
from rights.models import DataExport
from rights.tasks import export_restart_stalled


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    return tmp_path / "media"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def running_export(user, *, quiet_for: timedelta, attempts: int = 1) -> DataExport:
    """An export a worker claimed, then stopped reporting progress on `quiet_for` ago."""
    last_seen = timezone.now() - quiet_for
    return DataExport.objects.create(
        user=user,
        token=secrets.token_urlsafe(32),
        status=DataExport.Status.RUNNING,
        progress=40,
        created_at=last_seen - timedelta(minutes=1),
        heartbeat_at=last_seen,
        attempts=attempts,
    )


def files_in(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()]


def test_it_restarts_an_export_whose_worker_died(committed, user, media):
    export = running_export(user, quiet_for=timedelta(hours=1))

    with committed():
        restarted = export_restart_stalled()

    export.refresh_from_db()
    assert restarted == 1
    assert export.status == DataExport.Status.READY and export.is_downloadable
    assert export.attempts == 2
    assert len(files_in(media)) == 1
    assert [m.to for m in mail.outbox if "export is ready" in m.subject] == [[user.email]]


def test_it_restarts_an_export_whose_job_was_never_picked_up(committed, user):
    export = DataExport.objects.create(
        user=user, token="p" * 43, created_at=timezone.now() - timedelta(hours=2)
    )

    with committed():
        export_restart_stalled()

    export.refresh_from_db()
    assert export.status == DataExport.Status.READY


def test_it_leaves_a_build_that_is_making_progress_alone(committed, user, settings):
    settings.RIGHTS_EXPORT_STALL_MINUTES = 15
    export = running_export(user, quiet_for=timedelta(minutes=5))

    with committed():
        restarted = export_restart_stalled()

    export.refresh_from_db()
    assert restarted == 0
    assert (export.status, export.progress, export.attempts) == (DataExport.Status.RUNNING, 40, 1)


def test_it_gives_up_after_the_last_attempt_so_the_owner_can_ask_again(committed, user, settings):
    settings.RIGHTS_EXPORT_MAX_ATTEMPTS = 3
    export = running_export(user, quiet_for=timedelta(hours=1), attempts=3)

    with committed():
        export_restart_stalled()

    export.refresh_from_db()
    assert export.status == DataExport.Status.FAILED
    with committed():
        again, created = services.export_request(user=user)
    assert created and again.pk != export.pk


def test_a_stalled_export_no_longer_counts_as_being_prepared(committed, user, media):
    stuck = running_export(user, quiet_for=timedelta(hours=6))

    with committed():
        export, created = services.export_request(user=user)

    assert created and export.pk != stuck.pk
    stuck.refresh_from_db()
    export.refresh_from_db()
    assert stuck.status == DataExport.Status.FAILED
    assert export.status == DataExport.Status.READY
    assert len(files_in(media)) == 1


def test_a_live_export_still_counts_as_being_prepared(committed, user):
    live = running_export(user, quiet_for=timedelta(minutes=1))

    with committed():
        export, created = services.export_request(user=user)

    assert not created and export.pk == live.pk


def test_a_build_overtaken_by_its_restart_leaves_no_file(user, media, monkeypatch):
    """The first worker was only slow: the restarted build wins, the first one's zip goes."""
    from rights import export as export_module

    real_build = export_module.build_zip
    export = running_export(user, quiet_for=timedelta(hours=1))

    def slow_build(export):
        monkeypatch.setattr(export_module, "build_zip", real_build)
        real_build(export)
        services.export_build(export_id=export.pk)  # the restart, while this one was slow

    monkeypatch.setattr(export_module, "build_zip", slow_build)

    assert services.export_build(export_id=export.pk) is False
    export.refresh_from_db()
    assert export.status == DataExport.Status.READY and export.attempts == 3
    assert [path.name for path in files_in(media)] == [export.file.name.rsplit("/", 1)[-1]]


def test_the_watchdog_is_on_the_beat_schedule():
    tasks = [e["task"] for e in app.conf.beat_schedule.values()]

    assert tasks.count("rights.tasks.export_restart_stalled") == 1
