"""The JobTrax Celery app with every beat entry fired every FAST_BEAT_SECONDS (tests only)."""

import os

from jobtrax.celery import app

_every = float(os.environ.get("FAST_BEAT_SECONDS", "2"))
app.conf.beat_schedule = {
    name: {**entry, "schedule": _every} for name, entry in app.conf.beat_schedule.items()
}

__all__ = ["app"]
