"""Reads for the tracker pages: a fixed number of queries whatever the number of jobs."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    JSONField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, JSONObject, Lower, RowNumber

from jobs.cards import CARD_FIELDS
from jobs.models import TAG_NAME_MAX, Job, JobNote, JobTag, Phase, Stage, StageChange
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
    # How many live jobs the stage holds, and the rows of those shown as cards.
    count: int = 0
    jobs: list[tuple] = field(default_factory=list)

    @property
    def hidden_count(self) -> int:
        return self.count - len(self.jobs)


@dataclass
class Funnel:
    steps: list[tuple[str, int]]
    applied: int
    replied: int
    median_days_to_reply: float | None

    @property
    def response_rate(self) -> int | None:
        return round(100 * self.replied / self.applied) if self.applied else None


def with_tag(jobs: QuerySet[Job], tag: str) -> QuerySet[Job]:
    """The jobs carrying the tag named by `tag`: its id or its name (any case). Through a join,
    with no query of its own; a tag that is not the person's matches nothing."""
    value = str(tag or "").strip()[:TAG_NAME_MAX]
    if not value:
        return jobs
    match = Q(tag__name__iexact=value)
    if value.isdigit() and len(value) < 12:
        match |= Q(tag_id=int(value))
    return jobs.filter(pk__in=JobTag.objects.filter(match).values("job_id"))


def _tag_links(job_id=None) -> QuerySet[JobTag]:
    links = JobTag.objects.order_by(Lower("tag__name"), "tag_id")
    return links.filter(job_id=job_id) if job_id is not None else links


class _JSONGroupArray(Aggregate):
    """SQLite's json_group_array: the rows of a group as one JSON array."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()


def _with_tags(jobs: QuerySet[Job]) -> QuerySet[Job]:
    """Each job's tags as [{"id", "name"}, ...], read in the jobs' own query (PostgreSQL and
    SQLite); on another database `_tags_of_rows` reads them in a second one."""
    pair = JSONObject(id="tag_id", name="tag__name")
    if connection.vendor == "postgresql":
        from django.contrib.postgres.expressions import ArraySubquery

        return jobs.annotate(tag_list=ArraySubquery(_tag_links(OuterRef("pk")).values(pair=pair)))
    if connection.vendor == "sqlite":
        grouped = (
            JobTag.objects.filter(job_id=OuterRef("pk"))
            .order_by()
            .values("job_id")
            .annotate(items=_JSONGroupArray(pair))
            .values("items")
        )
        return jobs.annotate(tag_list=Subquery(grouped, output_field=JSONField()))
    return jobs


def _by_name(tags) -> list[dict]:
    return sorted(tags or (), key=lambda tag: (str(tag["name"]).lower(), tag["id"]))


def _tags_of_rows(rows: list[tuple]) -> list[tuple]:
    """Rows of CARD_FIELDS with each job's tags appended (as _with_tags reads them)."""
    tags: dict[int, list[dict]] = {row[0]: [] for row in rows}
    links = _tag_links().filter(job_id__in=list(tags)).values_list("job_id", "tag_id", "tag__name")
    for job_id, tag_id, name in links:
        tags[job_id].append({"id": tag_id, "name": name})
    return [(*row, tags[row[0]]) for row in rows]


# Cards shown per stage before "Show all" (and closed jobs shown in all): a board of hundreds
# of jobs stays quick to read, render, send and scroll. A card is about 1 KB (its move form
# lists every stage), so the first screen of a 500-job board stays near 40 KB.
CARDS_PER_COLUMN = 25


def board(user, *, show: str = "", tag: str = "", per_column: int = CARDS_PER_COLUMN,
          now=None) -> dict:  # fmt: skip
    """The active columns (rows of cards.CARD_FIELDS and the job's tags), the closed jobs
    folded underneath, the silent applications for the ghosting nudge, and the funnel: three
    queries on PostgreSQL (the person's stages, the jobs with their tags, the cached funnel),
    whatever the number of jobs. `tag`: only the jobs with this tag (its id or name).

    The jobs query returns only what is shown: each stage's `per_column` most recently moved
    jobs (every job of the stage named by `show`), each with its stage's count, plus the
    longest-silent applications (jobs.ghosting), ranked by window functions in the database.
    """
    from jobs.ghosting import SHOWN, silent_condition

    stages = stage_map(user)
    silent = silent_condition(stages, now=now)
    newest_first = [F("stage_changed_at").desc(), F("pk").desc()]
    keep = Q(rank__lte=per_column) | Q(silent=True, silent_rank__lte=SHOWN)
    if show:
        keep |= Q(stage=show)
    jobs = with_tag(own_jobs(user).filter(archived_at__isnull=True), tag)
    tagged = _with_tags(jobs)
    extra = ("tag_list",) if tagged is not jobs else ()
    rows = list(
        tagged.annotate(
            in_stage=Window(Count("pk"), partition_by=F("stage")),
            rank=Window(RowNumber(), partition_by=F("stage"), order_by=newest_first),
            silent=Case(When(silent, then=Value(True)), default=Value(False)),
            silent_rank=Window(
                RowNumber(), partition_by=F("silent"), order_by=[F("updated_at"), F("pk")]
            ),
        )
        .filter(keep)
        .order_by("-stage_changed_at", "-pk")
        .values_list(*CARD_FIELDS, *extra, "in_stage", "rank", "silent", "silent_rank")
    )
    width = len(CARD_FIELDS) + len(extra)
    if extra:
        cards = [(*row[: width - 1], _by_name(row[width - 1])) for row in rows]
    else:
        cards = _tags_of_rows([row[:width] for row in rows])
    columns = {s.key: Column(s.key, s.name) for s in stages.columns()}
    counts: dict[str, int] = {}
    closed, silent_rows = [], []
    shown_tags: dict[int, str] = {}
    for row, card in zip(rows, cards, strict=True):
        in_stage, rank, is_silent, silent_rank = row[width:]
        stage = card[4]
        counts[stage] = in_stage
        if is_silent and silent_rank <= SHOWN:
            silent_rows.append(card)
        if rank > per_column and stage != show:
            continue
        column = columns.get(stage)
        if column is None and len(closed) >= per_column:  # rows come most recent first
            continue
        for item in card[-1]:
            shown_tags.setdefault(item["id"], item["name"])
        if column is not None:
            column.jobs.append(card)
        else:
            closed.append(card)
    for column in columns.values():
        column.count = counts.get(column.stage, 0)
    total = sum(counts.values())
    return {
        "columns": list(columns.values()),
        "closed": closed,
        "closed_count": total - sum(column.count for column in columns.values()),
        "total": total,
        "silent_rows": silent_rows,
        "shown_tags": sorted(shown_tags.items(), key=lambda item: (item[1].lower(), item[0])),
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
             sort: str = "updated", tag: str = "") -> QuerySet[Job]:  # fmt: skip
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
    jobs = with_tag(jobs, tag)
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
