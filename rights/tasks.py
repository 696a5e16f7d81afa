from celery import shared_task

from rights import services


@shared_task(queue="exports", ignore_result=True)
def export_build(export_id: int) -> bool:
    return services.export_build(export_id=export_id)


# On the default queue, so that builds filling the exports queue cannot hold it up.
@shared_task(queue="default", ignore_result=True)
def export_restart_stalled() -> int:
    """Restart the exports whose worker died mid-build."""
    return services.export_restart_stalled()


@shared_task(queue="retention", ignore_result=True)
def account_erase(user_id: int, reason: str) -> bool:
    return services.account_erase(user_id=user_id, reason=reason)


@shared_task(queue="retention", ignore_result=True)
def account_erase_due() -> int:
    """Erase every account whose deletion grace period is over (holds pause them)."""
    return sum(
        services.account_erase(user_id=user_id, reason="user_request")
        for user_id in services.deletions_due()
    )


# On the exports queue: the work folder is the exports workers'.
@shared_task(queue="exports", ignore_result=True)
def export_workspace_clean() -> int:
    """Remove what killed builds left in the export work folder (also run at worker start)."""
    return services.export_workspace_clean()
