"""An iCalendar (RFC 5545) file of follow-up dates and deadlines, as all-day events."""

from collections.abc import Iterable
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from jobs.models import Job


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


def calendar_for(jobs: Iterable[Job]) -> str:
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
        if job.follow_up_on:
            lines += _event(job, "follow-up", job.follow_up_on, f"Follow up: {name}", stamp, host)
        if job.valid_through:
            lines += _event(job, "deadline", job.valid_through, f"Deadline: {name}", stamp, host)
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
