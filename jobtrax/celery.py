import os
from pathlib import Path

from celery import Celery
from celery.schedules import crontab
from celery.signals import after_setup_logger, after_setup_task_logger, before_task_publish
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


def _retention(policy: str, schedule: crontab) -> dict:
    return {
        "task": "logs_retention.tasks.retention_run_policy",
        "schedule": schedule,
        "args": (policy,),
        "options": {"expires": 12 * 3600},
    }


# The whole schedule, in one place. Times are UTC.
app.conf.beat_schedule = {
    # every minute: proves that a worker and beat are alive (ops see it in the admin)
    "heartbeat": {"task": "jobtrax.tasks.heartbeat", "schedule": 60.0},
    # Retention (logs_retention.policies): one entry per policy; each run takes the policy's lock.
    # daily at 03:00 UTC: delete request logs past 12 months (before anonymising, to skip them)
    "retention-request-logs-delete": _retention("request_logs_delete", crontab(minute=0, hour=3)),
    # daily at 03:10 UTC: anonymise request logs past 90 days
    "retention-request-logs-anonymise": _retention(
        "request_logs_anonymise", crontab(minute=10, hour=3)
    ),
    # daily at 03:20 UTC: delete security events past 12 months
    "retention-security-events": _retention("security_events", crontab(minute=20, hour=3)),
    # daily at 03:30 UTC: delete visitors' consent records past 12 months
    "retention-visitor-consent": _retention("visitor_consent", crontab(minute=30, hour=3)),
    # daily at 03:40 UTC: delete consent records of accounts closed 24 months ago
    "retention-account-consent": _retention("account_consent", crontab(minute=40, hour=3)),
    # daily at 03:50 UTC: delete deletion receipts past 24 months
    "retention-deletion-receipts": _retention("deletion_receipts", crontab(minute=50, hour=3)),
    # every hour at :05: erase accounts never verified within 7 days
    "retention-unverified-accounts": _retention("unverified_accounts", crontab(minute=5)),
    # daily at 04:10 UTC: warn accounts inactive 23 months, erase those warned 30 days ago
    "retention-inactive-accounts": _retention("inactive_accounts", crontab(minute=10, hour=4)),
    # every hour at :25: delete data export files past 7 days (or their expiry)
    "retention-export-files": _retention("export_files", crontab(minute=25)),
    # daily at 04:20 UTC: expired sessions, old email confirmations, old user-session records
    "retention-auth-leftovers": _retention("auth_leftovers", crontab(minute=20, hour=4)),
    # daily at 04:30 UTC: delete staff console history past 12 months
    "retention-admin-log-entries": _retention("admin_log_entries", crontab(minute=30, hour=4)),
    # daily at 04:00 UTC: Celery's own cleanup of task results past result_expires (Redis
    # expires them by itself; the file backend needs this)
    "celery.backend_cleanup": {
        "task": "celery.backend_cleanup",
        "schedule": crontab(minute=0, hour=4),
    },
    # every 15 minutes: erase accounts whose deletion grace period is over (holds pause them)
    "rights-erase-due-accounts": {
        "task": "privacy.rights.tasks.account_erase_due",
        "schedule": 15 * 60.0,
    },
    # every 10 minutes: restart the emails about a material privacy notice change if their
    # chain of batches broke off (no progress for PRIVACY_NOTICE_EMAIL_STALL_MINUTES)
    "privacy-notice-email-resume": {
        "task": "privacy.tasks.notice_email_resume",
        "schedule": 10 * 60.0,
    },
}

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
