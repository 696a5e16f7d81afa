from celery import shared_task

from jobtrax.services import heartbeat_record

HEARTBEAT_TASK = "jobtrax.tasks.heartbeat"


@shared_task(queue="default", ignore_result=True)
def heartbeat() -> str:
    return heartbeat_record(name="celery-worker").isoformat()
