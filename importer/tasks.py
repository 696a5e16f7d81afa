from celery import shared_task

from importer import services


# On its own queue, so a slow job site never delays retention or export jobs. The argument is
# the preview's id: the link itself never appears in the broker's or the worker's logs.
@shared_task(queue="imports", ignore_result=True, soft_time_limit=60, time_limit=90)
def preview_read(preview_id: str) -> None:
    services.preview_read_link(preview_id=preview_id)


@shared_task(queue="default", ignore_result=True)
def preview_fail_stalled() -> int:
    """Link imports not read in time fail, and their URL is erased."""
    return services.preview_fail_stalled()
