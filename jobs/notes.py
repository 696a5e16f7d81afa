"""A job's dated notes (JobNote): every write goes through one function here, and each counts
as activity on the job (its `updated_at`, "Last activity" on the list), as editing the notes
box did."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jobs.models import Job, JobNote
from jobs.posting import NOTE_MAX

# Enough for years of notes on one job; a page of them stays quick to render.
MAX_PER_JOB = 500


class TooManyNotes(Exception):
    pass


def note_text(value) -> str:
    """A note's body as stored: without NUL characters or surrounding blank space, capped."""
    return ("" if value is None else str(value)).replace("\x00", "").strip()[:NOTE_MAX]


def _touch(job: Job, at: datetime) -> None:
    Job.objects.filter(pk=job.pk).update(updated_at=at)
    job.updated_at = at


def note_add(*, job: Job, body, written_at: datetime | None = None) -> JobNote:
    """Add a dated note to a job. Raises ValidationError when the text is empty and
    TooManyNotes when the job has MAX_PER_JOB notes already."""
    text = note_text(body)
    if not text:
        raise ValidationError({"body": "Write something in the note."})
    now = timezone.now()
    with transaction.atomic():
        if JobNote.objects.filter(job=job).count() >= MAX_PER_JOB:
            raise TooManyNotes(f"A job can have at most {MAX_PER_JOB} notes.")
        note = JobNote.objects.create(
            job=job, user_id=job.user_id, body=text, written_at=written_at or now
        )
        _touch(job, now)
    return note


def note_edit(*, note: JobNote, body) -> JobNote:
    """Change a note's text; it keeps its date and records when it was edited."""
    text = note_text(body)
    if not text:
        raise ValidationError({"body": "Write something in the note, or delete it."})
    if text == note.body:
        return note
    now = timezone.now()
    with transaction.atomic():
        note.body, note.edited_at = text, now
        note.save(update_fields=["body", "edited_at"])
        _touch(note.job, now)
    return note


def note_delete(*, note: JobNote) -> None:
    with transaction.atomic():
        note.delete()
        _touch(note.job, timezone.now())


def notes_of_job(job: Job) -> list[JobNote]:
    """The job's notes, newest first: one query, however many there are."""
    return list(JobNote.objects.filter(job=job).order_by("-written_at", "-pk"))


def dated_line(written_at: datetime, body: str) -> str:
    """A note as one block of plain text, starting with its date in UTC."""
    return f"[{written_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC] {body}"


_DATED = re.compile(r"\[(\d{4}-\d{2}-\d{2} \d{2}:\d{2}) UTC\] (.*)", re.DOTALL)
_NEXT_DATED = re.compile(r"\n\n(?=\[\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\] )")


def dated_entries(text: str) -> list[tuple[datetime, str]] | None:
    """The notes of a JobTrax CSV cell (dated_line blocks, one blank line apart), or None when
    the text is not made of such blocks only."""
    entries = []
    for block in _NEXT_DATED.split(text.strip()):
        found = _DATED.fullmatch(block)
        if found is None:
            return None
        try:
            at = datetime.strptime(found.group(1), "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
        except ValueError:
            return None
        body = note_text(found.group(2))
        if body:
            entries.append((at, body))
    return entries or None


def notes_replace(*, job: Job, body) -> list[JobNote]:
    """Replace all of a job's notes with one, written now (none when the text is empty): what
    the API's "replace a job's notes" does."""
    text = note_text(body)
    now = timezone.now()
    with transaction.atomic():
        JobNote.objects.filter(job=job).delete()
        created = (
            [JobNote.objects.create(job=job, user_id=job.user_id, body=text, written_at=now)]
            if text
            else []
        )
        _touch(job, now)
    return created
