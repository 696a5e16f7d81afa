import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobtrax.settings")

app = Celery("jobtrax")
app.config_from_object("django.conf:settings", namespace="CELERY")


def _ensure_embedded_broker_folders() -> None:
    """Without Redis the broker is a folder on disk, shared by the web process, worker and beat."""
    from django.conf import settings

    if not settings.CELERY_BROKER_URL.startswith("filesystem://"):
        return
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    for key in ("data_folder_in", "processed_folder"):
        Path(options[key]).mkdir(parents=True, exist_ok=True)
    Path(settings.CELERY_RESULT_BACKEND.removeprefix("file://")).mkdir(parents=True, exist_ok=True)


_ensure_embedded_broker_folders()

app.conf.update(
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
app.conf.beat_schedule = {
    # every minute: proves that a worker and beat are alive (ops see it in the admin)
    "heartbeat": {"task": "jobtrax.tasks.heartbeat", "schedule": 60.0},
    # every 15 minutes: erase accounts whose deletion grace period is over (holds pause them)
    "rights-erase-due-accounts": {
        "task": "privacy.rights.tasks.account_erase_due",
        "schedule": 15 * 60.0,
    },
    # every hour: delete data export files past their 7-day link lifetime
    "rights-purge-expired-exports": {
        "task": "privacy.rights.tasks.export_purge_expired",
        "schedule": 3600.0,
    },
}

app.autodiscover_tasks()
