import socket

from celery import shared_task
from django.utils import timezone

from jobtrax.models import Heartbeat


@shared_task(queue="default", ignore_result=True)
def heartbeat() -> str:
    now = timezone.now()
    Heartbeat.objects.update_or_create(
        name="celery-worker", defaults={"beat_at": now, "hostname": socket.gethostname()[:128]}
    )
    return now.isoformat()
