from datetime import timedelta

from jobtrax import datamap


def archived_window() -> timedelta:
    """How long an archived job is kept after archiving (the archived_jobs policy)."""
    return datamap.policy("archived_jobs").window
