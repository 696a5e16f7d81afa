from datetime import timedelta

from django.conf import settings


def archived_window() -> timedelta:
    """How long an archived job is kept after archiving (RETENTION_ARCHIVED_JOB_DAYS)."""
    return timedelta(days=getattr(settings, "RETENTION_ARCHIVED_JOB_DAYS", 730))
