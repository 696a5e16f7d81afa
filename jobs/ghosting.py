"""The ghosting nudge: an application with no activity for JOBS_GHOSTED_DAYS is proposed for
"Ghosted", once, on the board; the person moves it there or dismisses the proposal."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from django.conf import settings
from django.utils import timezone

from jobs.models import Job, Phase
from jobs.stages import StageMap

SHOWN = 5


def silent_applications(user, stages: StageMap, *, now=None) -> list[Job]:
    """Live jobs in an "applied" stage, untouched for JOBS_GHOSTED_DAYS, not dismissed: one
    query, at most SHOWN of them, the longest silent first."""
    now = now or timezone.now()
    applied = [key for key, phase in stages.phases.items() if phase == Phase.APPLIED]
    cutoff = now - timedelta(days=settings.JOBS_GHOSTED_DAYS)
    return list(
        Job.objects.filter(
            user=user,
            archived_at__isnull=True,
            stage__in=applied,
            updated_at__lt=cutoff,
            ghosting_dismissed_at__isnull=True,
        )
        .only("pk", "title", "company", "updated_at")
        .order_by("updated_at", "pk")[:SHOWN]
    )


def job_dismiss_ghosting(*, job: Job) -> Job:
    job.ghosting_dismissed_at = timezone.now()
    job.save(update_fields=["ghosting_dismissed_at"])
    return job


def silent_from_rows(rows: list[tuple], stages: StageMap, *, now=None) -> list:
    """`silent_applications` read from the board's own rows (cards.CARD_FIELDS): no query."""
    now = now or timezone.now()
    applied = {key for key, phase in stages.phases.items() if phase == Phase.APPLIED}
    cutoff = now - timedelta(days=settings.JOBS_GHOSTED_DAYS)
    silent = [
        SimpleNamespace(pk=row[0], title=row[1], company=row[2], updated_at=row[12])
        for row in rows
        if row[4] in applied and row[12] < cutoff and row[13] is None
    ]
    silent.sort(key=lambda job: (job.updated_at, job.pk))
    return silent[:SHOWN]
