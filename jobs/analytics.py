"""Analytics of a person's job search, from their stage history and their stages' phases:
conversion between phases, time in each phase, response rate by channel, by board and by
month, and the ghosted rate. Three queries whatever the numbers (stages, history, jobs)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from django.utils import timezone

from jobs.channels import channel_label
from jobs.models import Job, Phase, Stage, StageChange
from jobs.stages import PHASE_REACH, stage_map

FEW = 5  # below this many, a rate says little; the page says so
_FUNNEL = (Phase.SAVED, Phase.APPLIED, Phase.INTERVIEWING, Phase.OFFER)
_REPLIED = {Phase.INTERVIEWING, Phase.OFFER, Phase.CLOSED_WON}
_SILENT = {Stage.GHOSTED, Stage.NO_REPLY}


@dataclass
class Rate:
    label: str
    total: int
    hits: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.hits / self.total) if self.total else None

    @property
    def few(self) -> bool:
        return self.total < FEW


@dataclass
class Report:
    conversions: list[Rate] = field(default_factory=list)
    phase_days: list[tuple[str, float | None, int]] = field(default_factory=list)
    by_channel: list[Rate] = field(default_factory=list)
    by_board: list[Rate] = field(default_factory=list)
    by_month: list[Rate] = field(default_factory=list)
    ghosted: Rate | None = None
    applications: int = 0


def _rates(groups: dict[str, list[bool]]) -> list[Rate]:
    rates = [Rate(label, len(values), sum(values)) for label, values in groups.items()]
    return sorted(rates, key=lambda r: (-r.total, r.label))


def report(user) -> Report:
    stages = stage_map(user)
    phases = stages.phases
    history: dict[int, list[tuple[str, object]]] = {}
    for job_id, to_stage, at in (
        StageChange.objects.filter(user=user)
        .order_by("changed_at", "pk")
        .values_list("job_id", "to_stage", "changed_at")
    ):
        history.setdefault(job_id, []).append((to_stage, at))
    jobs = Job.objects.filter(user=user).values_list("pk", "channel", "board", "stage")
    now = timezone.now()
    reached = dict.fromkeys(_FUNNEL, 0)
    days: dict[str, list[float]] = {p: [] for p in Phase.values}
    by_channel: dict[str, list[bool]] = {}
    by_board: dict[str, list[bool]] = {}
    by_month: dict[str, list[bool]] = {}
    silent = []
    for pk, channel, board, current in jobs:
        moves = history.get(pk, [])
        reach = max([PHASE_REACH[phases.get(s, Phase.SAVED)] for s, _ in moves] or [0])
        for i, phase in enumerate(_FUNNEL):
            if reach >= i:
                reached[phase] += 1
        for (stage, start), (_, end) in zip(moves, moves[1:], strict=False):
            days[phases.get(stage, Phase.SAVED)].append((end - start).total_seconds() / 86400)
        if moves and phases.get(moves[-1][0]) in (Phase.SAVED, Phase.APPLIED,
                                                  Phase.INTERVIEWING, Phase.OFFER):  # fmt: skip
            stage, start = moves[-1]
            days[phases.get(stage, Phase.SAVED)].append((now - start).total_seconds() / 86400)
        if reach < 1:
            continue
        applied_at = next(at for s, at in moves if PHASE_REACH[phases.get(s, Phase.SAVED)] >= 1)
        replied = any(phases.get(s) in _REPLIED or s == Stage.REJECTED for s, _ in moves)
        by_channel.setdefault(channel or "manual", []).append(replied)
        by_board.setdefault(board or "No job board", []).append(replied)
        by_month.setdefault(timezone.localtime(applied_at).strftime("%Y-%m"), []).append(replied)
        silent.append(current in _SILENT)
    result = Report(applications=reached[Phase.APPLIED])
    for before, after in zip(_FUNNEL, _FUNNEL[1:], strict=False):
        result.conversions.append(
            Rate(f"{Phase(before).label} → {Phase(after).label}", reached[before], reached[after])
        )
    for phase in Phase.values:
        values = days[phase]
        if phase in (Phase.CLOSED_WON, Phase.CLOSED_LOST):
            continue
        median = round(statistics.median(values), 1) if values else None
        result.phase_days.append((Phase(phase).label, median, len(values)))
    result.by_channel = [Rate(channel_label(r.label), r.total, r.hits) for r in _rates(by_channel)]
    result.by_board = _rates(by_board)
    result.by_month = sorted(_rates(by_month), key=lambda r: r.label)
    result.ghosted = Rate("Ghosted or no reply", len(silent), sum(silent))
    return result


def bars(rates: list[Rate], width: int = 320) -> dict:
    """Geometry of horizontal bars of percentages, drawn as SVG by the template."""
    label_width, bar_height, gap = 130, 20, 8
    plot = width - label_width - 50
    rows = []
    for i, rate in enumerate(rates):
        y = i * (bar_height + gap)
        share = rate.percent or 0
        rows.append(
            {
                "label": rate.label[:20],
                "value": "–" if rate.percent is None else f"{rate.percent}%",
                "y": y,
                "text_y": y + bar_height - 5,
                "width": max(round(plot * share / 100), 1) if share else 0,
                "value_x": label_width + round(plot * share / 100) + 6,
            }
        )
    return {
        "width": width,
        "height": max(len(rows) * (bar_height + gap), bar_height),
        "label_x": label_width - 8,
        "bar_x": label_width,
        "bar_height": bar_height,
        "rows": rows,
    }
