from celery import shared_task

from jobs import reminders


@shared_task(ignore_result=True, queue="email")
def followup_reminders_send() -> int:
    """Email one batch of follow-up reminders, then queue the next batch while any are left."""
    sent, more = reminders.followup_reminders_send_batch()
    if more:
        followup_reminders_send.delay()
    return sent
