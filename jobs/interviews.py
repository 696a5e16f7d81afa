"""Interviews of a job: the writes (one service function each) and the reads of the pages.

Times are stored in UTC; the forms and pages speak the person's time zone (TrackerSettings).
Deleting an interview leaves a tombstone for calendar feeds (see Interview)."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jobs.models import (
    INTERVIEW_NOTES_MAX,
    INTERVIEW_TEXT_MAX,
    Interview,
    InterviewKind,
    InterviewOutcome,
    Job,
    TrackerSettings,
)

# The fields whose change a calendar shows: a change raises the SEQUENCE.
_CALENDAR_FIELDS = ("kind", "starts_at", "ends_at", "where", "with_whom")
FIELDS = ("kind", "starts_at", "ends_at", "where", "with_whom", "notes", "outcome")


_TZ_MEMO = "_jobs_time_zone"


def time_zone_of(user) -> zoneinfo.ZoneInfo:
    """The person's time zone (UTC unless they chose one), read once per request: it is kept
    on the user object the request carries."""
    memo = getattr(user, _TZ_MEMO, None)
    if memo is not None:
        return memo
    name = (
        TrackerSettings.objects.filter(user=user).values_list("time_zone", flat=True).first()
        or "UTC"
    )
    try:
        zone = zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    if hasattr(user, "__dict__"):
        setattr(user, _TZ_MEMO, zone)
    return zone


def _values(data: dict) -> dict:
    values = {}
    for name in FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name in ("where", "with_whom"):
            value = " ".join(str(value or "").replace("\x00", "").split())[:INTERVIEW_TEXT_MAX]
        elif name == "notes":
            value = str(value or "").replace("\x00", "").strip()[:INTERVIEW_NOTES_MAX]
        elif name == "kind" and value not in InterviewKind.values:
            raise ValidationError({"kind": "Choose what kind of interview it is."})
        elif name == "outcome":
            value = value or ""
            if value not in InterviewOutcome.values:
                raise ValidationError({"outcome": "Choose one of the outcomes."})
        values[name] = value
    return values


def _validate(interview: Interview) -> None:
    interview.full_clean(exclude=["user", "job"])


def interview_create(*, job: Job, data: dict) -> Interview:
    values = _values(data)
    now = timezone.now()
    interview = Interview(job=job, user_id=job.user_id, created_at=now, updated_at=now, **values)
    _validate(interview)
    interview.save()
    return interview


def interview_update(*, interview: Interview, data: dict) -> Interview:
    values = _values(data)
    changed = [n for n in _CALENDAR_FIELDS if n in values and getattr(interview, n) != values[n]]
    for name, value in values.items():
        setattr(interview, name, value)
    _validate(interview)
    interview.updated_at = timezone.now()
    fields = [*values, "updated_at"]
    if changed:
        interview.sequence += 1
        fields.append("sequence")
        if "starts_at" in changed:
            interview.reminded_at = None  # a new time gets its own reminder
            fields.append("reminded_at")
    interview.save(update_fields=fields)
    return interview


def interview_delete(*, interview: Interview) -> None:
    """Cancel it for the calendars: its text goes now, the dated tombstone after
    RETENTION_INTERVIEW_TOMBSTONE_DAYS (a retention policy)."""
    with transaction.atomic():
        interview.cancelled_at = interview.updated_at = timezone.now()
        interview.sequence += 1
        interview.where = interview.with_whom = interview.notes = ""
        interview.save(
            update_fields=["cancelled_at", "updated_at", "sequence", "where", "with_whom", "notes"]
        )


def interviews_of_job(job: Job) -> list[Interview]:
    return list(job.interviews.filter(cancelled_at__isnull=True).order_by("starts_at", "pk"))


def upcoming(user, *, days: int = 7, now: datetime | None = None):
    """The person's interviews from now for `days` days, with their jobs: one query."""
    now = now or timezone.now()
    return (
        Interview.objects.filter(
            user=user,
            cancelled_at__isnull=True,
            starts_at__gte=now - timedelta(hours=2),
            starts_at__lt=now + timedelta(days=days),
            job__archived_at__isnull=True,
        )
        .select_related("job")
        .only(
            "pk", "kind", "starts_at", "ends_at", "where", "job__id", "job__title", "job__company"
        )  # fmt: skip
        .order_by("starts_at", "pk")
    )


def for_board(user, *, days: int = 7, now: datetime | None = None):
    """The board's interviews in one query: the next one of each live job (for its card) and
    those of the coming `days` days (for the "this week" panel), as `upcoming` lists them."""
    now = now or timezone.now()
    rows = list(
        Interview.objects.filter(
            user=user,
            cancelled_at__isnull=True,
            starts_at__gte=now - timedelta(hours=2),
            job__archived_at__isnull=True,
        )
        .select_related("job")
        .only(
            "pk",
            "job_id",
            "kind",
            "starts_at",
            "ends_at",
            "where",
            "job__id",
            "job__title",
            "job__company",
        )  # fmt: skip
        .order_by("starts_at", "pk")[:500]
    )
    following: dict[int, Interview] = {}
    for row in rows:
        if row.starts_at >= now:
            following.setdefault(row.job_id, row)
    soon = [row for row in rows if row.starts_at < now + timedelta(days=days)]
    return following, soon


def next_by_job(user, *, now: datetime | None = None) -> dict[int, Interview]:
    """The next interview of each live job, for the board's cards: one query."""
    now = now or timezone.now()
    found: dict[int, Interview] = {}
    rows = (
        Interview.objects.filter(user=user, cancelled_at__isnull=True, starts_at__gte=now)
        .only("pk", "job_id", "kind", "starts_at")
        .order_by("starts_at", "pk")[:500]
    )
    for row in rows:
        found.setdefault(row.job_id, row)
    return found


def tracker_schedule_update(*, user, time_zone: str, discreet: bool) -> TrackerSettings:
    zoneinfo.ZoneInfo(time_zone)  # raises on an unknown zone
    row, _ = TrackerSettings.objects.update_or_create(
        user=user, defaults={"time_zone": time_zone, "discreet": discreet}
    )
    if hasattr(user, _TZ_MEMO):
        delattr(user, _TZ_MEMO)
    return row
