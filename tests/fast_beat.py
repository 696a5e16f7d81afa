"""The JobTrax Celery app with every beat entry fired every FAST_BEAT_SECONDS (tests only)."""

import os

from jobtrax.celery import app

_every = float(os.environ.get("FAST_BEAT_SECONDS", "2"))
# FAST_BEAT_ONLY="a,b": only those entries, so a test's own task is not queued behind thirty
# others fired every second.
_only = {name for name in os.environ.get("FAST_BEAT_ONLY", "").split(",") if name}
app.conf.beat_schedule = {
    name: {**entry, "schedule": _every}
    for name, entry in app.conf.beat_schedule.items()
    if not _only or name in _only
}

__all__ = ["app"]
