import os
from collections.abc import Iterator, Mapping
from pathlib import Path

from celery import Celery
from celery.schedules import crontab
from celery.signals import (
    after_setup_logger,
    after_setup_task_logger,
    before_task_publish,
    worker_ready,
)
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobtrax.settings")

app = Celery("jobtrax")
app.config_from_object("django.conf:settings", namespace="CELERY")


def _ensure_embedded_broker_folders() -> None:
    """Without Redis the broker is a folder on disk, shared by the web process, worker and beat."""
    from django.conf import settings

    if not settings.CELERY_BROKER_URL.startswith("filesystem://"):
        return
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    for key in ("data_folder_in", "processed_folder", "control_folder"):
        Path(options[key]).mkdir(parents=True, exist_ok=True)
    Path(settings.CELERY_RESULT_BACKEND.removeprefix("file://")).mkdir(parents=True, exist_ok=True)


_ensure_embedded_broker_folders()

# Work that cannot starve other work: each task names its queue in its decorator (a test checks
# that every task does). `make run` runs one worker on all of them; production runs a pool per
# queue (README, docker-compose.yml), so a slow job site never delays a retention run.
QUEUES = ("default", "imports", "exports", "retention", "email")

app.conf.update(
    task_queues=[Queue(name, routing_key=name) for name in QUEUES],
    task_default_queue="default",
    task_create_missing_queues=False,
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    result_expires=24 * 3600,
    timezone="UTC",
    broker_connection_retry_on_startup=True,
)


# The whole schedule, in one place. Times are UTC.
_FIXED_SCHEDULE = {
    # every minute: proves that a worker and beat are alive (ops see it in the admin)
    "heartbeat": {"task": "jobtrax.tasks.heartbeat", "schedule": 60.0},
    # daily at 04:00 UTC: Celery's own cleanup of task results past result_expires (Redis
    # expires them by itself; the file backend needs this)
    "celery.backend_cleanup": {
        "task": "celery.backend_cleanup",
        "schedule": crontab(minute=0, hour=4),
    },
    # every 15 minutes: erase accounts whose deletion grace period is over (holds pause them)
    "rights-erase-due-accounts": {
        "task": "rights.tasks.account_erase_due",
        "schedule": 15 * 60.0,
    },
    # every 5 minutes: restart a data export whose worker died mid-build (no progress for
    # RIGHTS_EXPORT_STALL_MINUTES); the broker alone would redeliver it only after 6 hours
    "rights-export-restart-stalled": {
        "task": "rights.tasks.export_restart_stalled",
        "schedule": 5 * 60.0,
    },
    # every hour: remove what killed export builds left in the export work folder (the folders
    # of builds still alive stay); also done when a worker starts
    "rights-export-workspace-clean": {
        "task": "rights.tasks.export_workspace_clean",
        "schedule": 3600.0,
    },
    # every minute: a link import not read within IMPORTER_LINK_DEADLINE_SECONDS fails, and
    # its URL is erased (a killed worker would leave it "running" with the URL for hours)
    "importer-fail-stalled-links": {
        "task": "importer.tasks.preview_fail_stalled",
        "schedule": 60.0,
    },
    # daily at 07:00 UTC: email follow-up reminders, one email per person and day at most; the
    # task queues further batches itself, and a second run the same day resumes
    "jobs-followup-reminders": {
        "task": "jobs.tasks.followup_reminders_send",
        "schedule": crontab(minute=0, hour=7),
        "options": {"expires": 12 * 3600},
    },
    # every 10 minutes: email interview reminders JOBS_INTERVIEW_REMINDER_HOURS ahead, once
    # per interview (each is claimed before its email is sent)
    "jobs-interview-reminders": {
        "task": "jobs.tasks.interview_reminders_send",
        "schedule": 10 * 60.0,
        "options": {"expires": 9 * 60},
    },
    # every 10 minutes: restart the emails about a material privacy notice change if their
    # chain of batches broke off (no progress for PRIVACY_NOTICE_EMAIL_STALL_MINUTES)
    "privacy-notice-email-resume": {
        "task": "privacy.tasks.notice_email_resume",
        "schedule": 10 * 60.0,
    },
}


class _BeatSchedule(Mapping):
    """The fixed entries above, then one entry per retention policy the apps declare in their
    personal_data.py (each with its crontab and, in `schedule_note`, when and why in words).
    The declarations are read when the schedule is first asked for, once the apps are loaded."""

    def __init__(self, fixed: dict) -> None:
        self._fixed = fixed
        self._entries: dict | None = None

    def _all(self) -> dict:
        if self._entries is None:
            import django
            from django.apps import apps

            if not apps.ready:
                django.setup()
            from jobtrax import datamap

            retention = {
                policy.beat_name: {
                    "task": "logs_retention.tasks.retention_run_policy",
                    "schedule": policy.schedule,
                    "args": (policy.name,),
                    "options": {"expires": 12 * 3600},
                }
                for policy in datamap.policies()
            }
            self._entries = {**self._fixed, **retention}
        return self._entries

    def __getitem__(self, key: str) -> dict:
        return self._all()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


app.conf.beat_schedule = _BeatSchedule(_FIXED_SCHEDULE)

app.autodiscover_tasks()


@before_task_publish.connect
def _beat_heartbeat(sender=None, **kwargs) -> None:
    """Only beat sends the heartbeat task: sending it is beat's own sign of life, as running it
    is the worker's. A database hiccup must not stop beat from sending the rest."""
    if sender != "jobtrax.tasks.heartbeat":
        return
    import logging

    from django.db import DatabaseError

    from jobtrax.services import heartbeat_record

    try:
        heartbeat_record(name="celery-beat")
    except DatabaseError:
        logging.getLogger(__name__).warning("could not record beat's heartbeat", exc_info=True)


@after_setup_logger.connect
@after_setup_task_logger.connect
def _scrub_worker_logs(logger, format, **kwargs) -> None:  # noqa: A002 (Celery's name)
    """Worker and beat logs mask personal data, like the web process's."""
    from jobtrax.logscrub import ScrubbingFormatter

    for handler in logger.handlers:
        handler.setFormatter(ScrubbingFormatter(format))


@worker_ready.connect
def _clean_export_workspace(**kwargs) -> None:
    """A worker that starts cleans what a killed build left in the export work folder (the
    folders of builds other workers are running stay). Never stops the worker from starting."""
    import logging

    try:
        from rights.services import export_workspace_clean

        export_workspace_clean()
    except Exception as error:  # noqa: BLE001 - the hourly run will try again
        logging.getLogger(__name__).warning(
            "export work folder not cleaned at start (%s)", type(error).__name__
        )
