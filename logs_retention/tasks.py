from celery import shared_task

from logs_retention import services


@shared_task(queue="retention", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def retention_run_policy(policy_name: str) -> int:
    """Run one retention policy; returns the id of its run record."""
    return services.retention_run(policy_name=policy_name).pk
