"""An iCalendar (RFC 5545) file of follow-up dates and deadlines, as all-day events, and of
interviews, as timed events in UTC. Each event's UID is stable; an interview's SEQUENCE rises
with each change and a deleted interview is sent as STATUS:CANCELLED. In discreet mode no
employer name, job title, place or person appears: "Interview", "Follow-up", "Deadline"."""

from collections.abc import Iterable
from datetime import UTC, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from jobs.models import Interview, Job

INTERVIEW_FIELDS = (
    "pk", "kind", "starts_at", "ends_at", "where", "with_whom", "sequence", "cancelled_at",
    "updated_at", "created_at", "job__id", "job__title", "job__company",
)  # fmt: skip


def _text(value: str) -> str:
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued with a leading space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _utc(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _interview_event(interview: Interview, host: str, discreet: bool) -> list[str]:
    job = interview.job
    kind = interview.get_kind_display()
    if discreet:
        summary = f"Interview ({kind.lower()})"
    else:
        name = f"{job.title} at {job.company}" if job.company else job.title
        summary = f"Interview ({kind.lower()}): {name}"
    link = settings.SITE_URL + reverse("jobs:detail", args=[job.pk])
    end = interview.ends_at or interview.starts_at + timedelta(hours=1)
    lines = [
        "BEGIN:VEVENT",
        f"UID:interview-{interview.pk}@{host}",
        f"DTSTAMP:{_utc(interview.updated_at)}",
        f"CREATED:{_utc(interview.created_at)}",
        f"LAST-MODIFIED:{_utc(interview.updated_at)}",
        f"SEQUENCE:{interview.sequence}",
        f"DTSTART:{_utc(interview.starts_at)}",
        f"DTEND:{_utc(end)}",
        f"SUMMARY:{_text(summary)}",
        f"STATUS:{'CANCELLED' if interview.cancelled_at else 'CONFIRMED'}",
        f"URL:{link}",
    ]
    description = link
    if not discreet and not interview.cancelled_at:
        if interview.where:
            lines.append(f"LOCATION:{_text(interview.where)}")
        if interview.with_whom:
            description = f"With {interview.with_whom}\n{link}"
    lines += [f"DESCRIPTION:{_text(description)}", "TRANSP:OPAQUE", "END:VEVENT"]
    return lines


def _event(job: Job, kind: str, day, summary: str, stamp: str, host: str) -> list[str]:
    link = settings.SITE_URL + reverse("jobs:detail", args=[job.pk])
    return [
        "BEGIN:VEVENT",
        f"UID:job-{job.pk}-{kind}@{host}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{_text(summary)}",
        f"URL:{link}",
        f"DESCRIPTION:{_text(link)}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def calendar_for(
    jobs: Iterable[Job], *, interviews: Iterable[Interview] = (), discreet: bool = False
) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "jobtrax"
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//JobTrax//Job tracker//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:JobTrax follow-ups and deadlines",
    ]
    for job in jobs:
        name = f"{job.title} at {job.company}" if job.company else job.title
        follow_up, deadline = ("Follow-up", "Deadline") if discreet else (
            f"Follow up: {name}", f"Deadline: {name}")  # fmt: skip
        if job.follow_up_on:
            lines += _event(job, "follow-up", job.follow_up_on, follow_up, stamp, host)
        if job.valid_through:
            lines += _event(job, "deadline", job.valid_through, deadline, stamp, host)
    for interview in interviews:
        lines += _interview_event(interview, host, discreet)
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
