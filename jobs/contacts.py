"""Contacts on a job: other people's data, kept only with their job (see JobContact)."""

from __future__ import annotations

from jobs.models import CONTACT_NOTES_MAX, CONTACT_TEXT_MAX, Job, JobContact

MAX_PER_JOB = 20


class TooManyContacts(Exception):
    pass


def _line(value) -> str:
    return " ".join(str(value or "").replace("\x00", "").split())[:CONTACT_TEXT_MAX]


def contact_add(*, job: Job, data: dict) -> JobContact:
    if JobContact.objects.filter(job=job).count() >= MAX_PER_JOB:
        raise TooManyContacts(f"A job can have at most {MAX_PER_JOB} contacts.")
    contact = JobContact(
        job=job,
        user_id=job.user_id,
        name=_line(data.get("name")),
        role=_line(data.get("role")),
        how_to_reach=_line(data.get("how_to_reach")),
        notes=str(data.get("notes") or "").replace("\x00", "").strip()[:CONTACT_NOTES_MAX],
    )
    contact.full_clean(exclude=["job", "user"])
    contact.save()
    return contact


def contact_delete(*, contact: JobContact) -> None:
    contact.delete()
