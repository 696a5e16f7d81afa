from celery import shared_task

from privacy import services


@shared_task(queue="email", ignore_result=True)
def notice_email_batch(version_id: int) -> int:
    """Email one batch about a material notice change, then queue the next batch."""
    sent, more = services.notice_email_send_batch(version_id=version_id)
    if more:
        notice_email_batch.delay(version_id)
    return sent


@shared_task(queue="email", ignore_result=True)
def notice_email_resume() -> int | None:
    """Restart a mailing that was interrupted (its chain of batches broke off)."""
    version_id = services.notice_email_stalled_version()
    if version_id is not None:
        notice_email_batch.delay(version_id)
    return version_id
