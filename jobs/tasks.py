from celery import shared_task

from jobs import interview_reminders, reminders


@shared_task(ignore_result=True, queue="email")
def followup_reminders_send() -> int:
    """Email one batch of follow-up reminders, then queue the next batch while any are left."""
    sent, more = reminders.followup_reminders_send_batch()
    if more:
        followup_reminders_send.delay()
    return sent


@shared_task(ignore_result=True, queue="email")
def interview_reminders_send() -> int:
    """Email one batch of interview reminders, then queue the next batch while any are left."""
    sent, more = interview_reminders.interview_reminders_send_batch()
    if more:
        interview_reminders_send.delay()
    return sent
