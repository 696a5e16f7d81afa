import socket
from datetime import datetime

from django.utils import timezone

from jobtrax.models import Heartbeat


def heartbeat_record(*, name: str, at: datetime | None = None) -> datetime:
    """Note that the process called `name` ("celery-worker", "celery-beat") is alive."""
    at = at or timezone.now()
    Heartbeat.objects.update_or_create(
        name=name, defaults={"beat_at": at, "hostname": socket.gethostname()[:128]}
    )
    return at
