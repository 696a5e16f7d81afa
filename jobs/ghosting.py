"""The ghosting nudge: an application with no activity for JOBS_GHOSTED_DAYS is proposed for
"Ghosted", once, on the board; the person moves it there or dismisses the proposal."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from jobs.models import Job, Phase
from jobs.stages import StageMap

SHOWN = 5


def silent_condition(stages: StageMap, *, now=None) -> Q:
    """A job in an "applied" stage, untouched for JOBS_GHOSTED_DAYS, its proposal not
    dismissed (archived jobs are left to the caller)."""
    now = now or timezone.now()
    applied = [key for key, phase in stages.phases.items() if phase == Phase.APPLIED]
    cutoff = now - timedelta(days=settings.JOBS_GHOSTED_DAYS)
    return Q(stage__in=applied, updated_at__lt=cutoff, ghosting_dismissed_at__isnull=True)


def silent_applications(user, stages: StageMap, *, now=None) -> list[Job]:
    """Live silent applications: one query, at most SHOWN of them, the longest silent first."""
    return list(
        Job.objects.filter(silent_condition(stages, now=now), user=user, archived_at__isnull=True)
        .only("pk", "title", "company", "updated_at")
        .order_by("updated_at", "pk")[:SHOWN]
    )


def job_dismiss_ghosting(*, job: Job) -> Job:
    job.ghosting_dismissed_at = timezone.now()
    job.save(update_fields=["ghosting_dismissed_at"])
    return job


def silent_from_rows(rows: list[tuple]) -> list:
    """The board's silent applications (rows of cards.CARD_FIELDS that selectors.board picked
    by silent_condition), the longest silent first: no query."""
    silent = [
        SimpleNamespace(pk=row[0], title=row[1], company=row[2], updated_at=row[12]) for row in rows
    ]
    silent.sort(key=lambda job: (job.updated_at, job.pk))
    return silent[:SHOWN]
