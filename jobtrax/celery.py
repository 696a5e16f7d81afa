import os
from pathlib import Path

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobtrax.settings")

app = Celery("jobtrax")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.on_configure.connect
def _configure_embedded_transport(sender: Celery, **kwargs) -> None:
    """Without Redis the broker is a folder on disk, shared by the web process, worker and beat."""
    from django.conf import settings

    if not sender.conf.broker_url.startswith("filesystem://"):
        # Longer than the longest retention run, so a task is not redelivered while it runs.
        sender.conf.broker_transport_options = {"visibility_timeout": 6 * 3600}
        return
    base = Path(settings.VAR_DIR) / "celery"
    for name in ("queue", "processed", "results"):
        (base / name).mkdir(parents=True, exist_ok=True)
    sender.conf.broker_transport_options = {
        "data_folder_in": str(base / "queue"),
        "data_folder_out": str(base / "queue"),
        "processed_folder": str(base / "processed"),
        "store_processed": False,
    }


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
}

app.autodiscover_tasks()
