from celery import shared_task

from consent import marketing


@shared_task(queue="email")
def campaign_send_batch(campaign_id: int, after_id: int = 0) -> None:
    """One batch of a marketing campaign; queues the next batch until everyone is done."""
    next_after = marketing.campaign_send_batch(campaign_id=campaign_id, after_id=after_id)
    if next_after is not None:
        campaign_send_batch.delay(campaign_id, next_after)
