"""Reads for the tracker pages: a fixed number of queries whatever the number of jobs."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from jobs.cards import CARD_FIELDS
from jobs.models import Job, JobNote, Phase, Stage, StageChange
from jobs.stages import PHASE_REACH, StageMap, stage_map
from jobtrax.cache import cache_get, cache_set

FUNNEL = (Phase.SAVED, Phase.APPLIED, Phase.INTERVIEWING, Phase.OFFER)
# The phases that show the employer answered an application, and the built-in closed stage
# that does too (a rejection is an answer; "no reply" and "ghosted" are not).
REPLIED_PHASES = {Phase.INTERVIEWING, Phase.OFFER, Phase.CLOSED_WON}
REPLIED_STAGES = {Stage.REJECTED}


def own_jobs(user) -> QuerySet[Job]:
    return Job.objects.filter(user=user)


@dataclass
class Column:
    stage: str
    label: str
    jobs: list[tuple] = field(default_factory=list)


@dataclass
class Funnel:
    steps: list[tuple[str, int]]
    applied: int
    replied: int
    median_days_to_reply: float | None

    @property
    def response_rate(self) -> int | None:
        return round(100 * self.replied / self.applied) if self.applied else None


def board(user) -> dict:
    """The active columns (rows of cards.CARD_FIELDS), the closed jobs folded underneath,
    and the funnel: three queries (the person's stages, the jobs, the cached funnel)."""
    stages = stage_map(user)
    live = list(
        own_jobs(user)
        .filter(archived_at__isnull=True)
        .order_by("-stage_changed_at", "-pk")
        .values_list(*CARD_FIELDS)
    )
    columns = {s.key: Column(s.key, s.name) for s in stages.columns()}
    closed = []
    for row in live:
        column = columns.get(row[4])
        if column is not None:
            column.jobs.append(row)
        else:
            closed.append(row)
    return {
        "columns": list(columns.values()),
        "closed": closed,
        "total": len(live),
        "live": live,
        "funnel": funnel_cached(user),
        "stages": stages,
    }


FUNNEL_CACHE_SECONDS = 600


def funnel_cache_key(user_id: int) -> str:
    return f"jobs:funnel:{user_id}"


def funnel_cached(user) -> Funnel:
    """The funnel, kept in the cache until the person's jobs or stages change (the services
    forget it) or, for deletions made by retention, for FUNNEL_CACHE_SECONDS at most."""
    key = funnel_cache_key(user.pk)
    result = cache_get(key)  # fail-soft: with Redis down the funnel is computed each time
    if result is None:
        result = funnel(user)
        cache_set(key, result, FUNNEL_CACHE_SECONDS)
    return result


def _reach_case(stages: StageMap) -> Case:
    return Case(
        *[
            When(to_stage=key, then=Value(PHASE_REACH[phase]))
            for key, phase in stages.phases.items()
            if PHASE_REACH[phase]
        ],
        default=Value(0),
        output_field=IntegerField(),
    )


def funnel(user) -> Funnel:
    """Saved → applied → interviewing → offer over every job, archived ones too (each counted
    once, by the furthest phase its history reached), by the phases the person's stages map
    to: a job counts as applied only if its history reached an applied-or-later phase. The
    share of applications that got an answer, and the median days from the first applied-or-
    later move to the first answer. Two queries: the stages, and one grouped row per job."""
    stages = stage_map(user)
    phases = stages.phases
    applied_keys = [k for k, p in phases.items() if PHASE_REACH[p] >= 1]
    replied_keys = [k for k, p in phases.items() if p in REPLIED_PHASES or k in REPLIED_STAGES]
    per_job = (
        StageChange.objects.filter(user=user)
        .values("job_id")
        .annotate(
            reach=Max(_reach_case(stages)),
            applied_at=Min(Case(When(to_stage__in=applied_keys, then=F("changed_at")))),
            replied_at=Min(Case(When(to_stage__in=replied_keys, then=F("changed_at")))),
        )
        .values_list("reach", "applied_at", "replied_at")
        .order_by()
    )
    reached = [0] * len(FUNNEL)
    replied = 0
    days = []
    for reach, applied_at, replied_at in per_job:
        for i in range(min(reach, len(FUNNEL) - 1) + 1):
            reached[i] += 1
        if reach >= 1 and replied_at is not None:
            replied += 1
            if applied_at is not None and replied_at >= applied_at:
                days.append((replied_at - applied_at).total_seconds() / 86400)
    steps = [(Phase(phase).label, reached[i]) for i, phase in enumerate(FUNNEL)]
    return Funnel(
        steps=steps,
        applied=reached[1],
        replied=replied,
        median_days_to_reply=round(statistics.median(days), 1) if days else None,
    )


def funnel_chart(result: Funnel, width: int = 320) -> dict:
    """Geometry of the funnel's horizontal bars, drawn as SVG by the board template."""
    top = max([n for _, n in result.steps] or [1]) or 1
    label_width, bar_height, gap = 110, 22, 8
    plot = width - label_width - 40
    bars = []
    for i, (label, count) in enumerate(result.steps):
        y = i * (bar_height + gap)
        bar = round(plot * count / top)
        bars.append(
            {
                "label": label,
                "count": count,
                "y": y,
                "text_y": y + bar_height - 6,
                "width": max(bar, 1) if count else 0,
                "value_x": label_width + bar + 6,
            }
        )
    return {
        "width": width,
        "height": len(bars) * (bar_height + gap),
        "label_x": label_width - 8,
        "bar_x": label_width,
        "bar_height": bar_height,
        "bars": bars,
    }


def _stage_order() -> Case:
    return Case(
        *[When(stage=stage, then=Value(i)) for i, stage in enumerate(Stage.values)],
        output_field=IntegerField(),
    )


def job_list(user, *, q: str = "", stage: str = "", workplace: str = "", archived: str = "",
             sort: str = "updated") -> QuerySet[Job]:  # fmt: skip
    from jobs.forms import SORTS

    jobs = own_jobs(user)
    if archived == "only":
        jobs = jobs.filter(archived_at__isnull=False)
    elif archived != "all":
        jobs = jobs.filter(archived_at__isnull=True)
    if stage:
        jobs = jobs.filter(stage=stage)
    if workplace:
        jobs = jobs.filter(workplace=workplace)
    for word in q.split()[:8]:
        # A job's notes match through a subquery, not a join: one row per job, whatever the
        # number of notes, and still one query for the page.
        in_notes = JobNote.objects.filter(job=OuterRef("pk"), body__icontains=word)
        jobs = jobs.filter(
            Q(title__icontains=word)
            | Q(company__icontains=word)
            | Q(location__icontains=word)
            | Q(Exists(in_notes))
            | Q(description__icontains=word)
        )
    jobs = jobs.annotate(
        stage_order=_stage_order(),
        salary_sort=Coalesce("salary_max", "salary_min"),
        valid_through_sort=Case(
            When(valid_through__isnull=True, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
    )
    return jobs.defer("description").order_by(*SORTS.get(sort, SORTS["updated"]))


def job_history(job: Job) -> list[StageChange]:
    return list(job.stage_changes.order_by("changed_at", "pk"))
