"""Every write to the tracker goes through one function here: views, the importer, the CSV
import, the admin and the reminder task all call them."""

from __future__ import annotations

import logging
from datetime import date, datetime, time

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jobs.channels import MANUAL, is_channel
from jobs.models import (
    BUILTIN_PHASES,
    Job,
    JobNote,
    PersonalStage,
    Phase,
    Stage,
    StageChange,
)
from jobs.notes import MAX_PER_JOB as MAX_NOTES_PER_JOB
from jobs.notes import note_text
from jobs.places import place_name
from jobs.posting import (
    BOARD_MAX,
    DESCRIPTION_MAX,
    POSTING_FIELDS,
    TITLE_MAX,
    TRACKING_FIELDS,
    normalise_salary,
)
from jobs.sanitize import sanitize_description
from jobs.urlnorm import strip_tracking, url_key
from jobtrax import pagecache
from jobtrax.cache import cache_delete

logger = logging.getLogger(__name__)

_SHORT_TEXT = ("title", "company", "location", "board_id")


class DuplicateJob(Exception):
    """The posting is already tracked; `existing` is the job that has it."""

    def __init__(self, existing: Job):
        super().__init__("You already track this job.")
        self.existing = existing


def _clean_text(value, limit: int) -> str:
    text = "" if value is None else str(value)
    return " ".join(text.replace("\x00", "").split())[:limit]


def _values(data: dict, names: tuple[str, ...]) -> dict:
    """The known fields of `data`, with text trimmed, capped and the description sanitised."""
    values = {}
    salary = normalise_salary({k: v for k, v in data.items() if k.startswith("salary_")})
    for name in names:
        if name not in data:
            continue
        value = data[name]
        if name in _SHORT_TEXT:
            value = _clean_text(value, TITLE_MAX)
            if name == "location":
                value = place_name(value)[:TITLE_MAX]
        elif name == "description":
            value = sanitize_description(value)
        elif name in ("url", "apply_url"):
            value = strip_tracking("" if value is None else str(value))
        elif name in salary:
            value = salary[name]
        elif value is None and name == "employment_type":
            value = ""
        values[name] = value
    return values


def _forget_funnel(user_id: int) -> None:
    from jobs.selectors import funnel_cache_key

    # Through the fail-soft cache: with Redis down the change is saved and says so.
    transaction.on_commit(lambda: cache_delete(funnel_cache_key(user_id)))
    cache_delete(funnel_cache_key(user_id))


def _validate(job: Job) -> None:
    # The check constraints (salary not negative, range ordered) are the database's guard;
    # Job.clean applies the same rule (jobs.posting.salary_errors) in Python, so they are not
    # checked again here with one query each per job (a 5,000-row CSV import did 10,000).
    job.full_clean(exclude=["user"], validate_constraints=False)
    if len(job.description) > DESCRIPTION_MAX:
        raise ValidationError({"description": "The description is too long."})


def job_find_duplicate(
    *, user: AbstractBaseUser, url: str, board: str = "", board_id: str = "", exclude_pk=None
) -> Job | None:
    """The job this person already tracks for the same posting: the same board and board id,
    or the same URL once normalised."""
    jobs = Job.objects.filter(user=user)
    if exclude_pk is not None:
        jobs = jobs.exclude(pk=exclude_pk)
    if board_id and board:
        found = jobs.filter(board=board, board_id=board_id).first()
        if found is not None:
            return found
    key = url_key(url)
    if key:
        return jobs.filter(url_key=key).order_by("pk").first()
    return None


# Stages a job only reaches after an application was sent.
_AFTER_APPLYING = (Stage.APPLIED, Stage.INTERVIEWING, Stage.OFFER, Stage.ACCEPTED, Stage.REJECTED,
                   Stage.NO_REPLY)  # fmt: skip


def _start_history(stage: str, applied_on: date | None, created_at: datetime) -> list:
    """The history of a job added straight into `stage`: a job added as applied (or later)
    with a date applied was applied on that day, so its time in the stage counts from then."""
    if stage not in _AFTER_APPLYING or applied_on is None:
        return [("", stage, created_at)]
    applied_at = datetime.combine(applied_on, time(12), tzinfo=timezone.get_current_timezone())
    applied_at = min(applied_at, created_at)
    if stage == Stage.APPLIED:
        return [("", stage, applied_at)]
    return [("", Stage.APPLIED, applied_at), (Stage.APPLIED, stage, created_at)]


def job_create(
    *,
    user: AbstractBaseUser,
    data: dict,
    channel: str = MANUAL,
    board: str = "",
    board_id: str = "",
    stage: str = Stage.SAVED,
    history: list[tuple[str, str, datetime]] | None = None,
    notes: list[tuple[datetime, str]] | None = None,
) -> Job:
    """Track a posting. Raises DuplicateJob when it is already tracked and ValidationError
    (per field) when the data is not acceptable. `data["notes"]`, when given, becomes the
    job's first dated note.

    `history` (from, to, when) replaces the single "saved" entry a new job starts with, and
    `notes` (when, text) replaces `data["notes"]`: the CSV import uses them to bring back a
    job's dated history and notes.
    """
    values = _values(data, POSTING_FIELDS + TRACKING_FIELDS)
    board = _clean_text(board, BOARD_MAX)
    board_id = _clean_text(board_id, TITLE_MAX)
    if not is_channel(channel):
        raise ValidationError({"channel": "Unknown channel."})
    own_phase = None
    if stage not in Stage.values:
        # One of the person's own stages ("own-<n>").
        own = PersonalStage.objects.filter(user=user, key=str(stage or "")[:12])
        own_phase = own.values_list("phase", flat=True).first() if stage else None
        if own_phase is None:
            raise ValidationError({"stage": "Unknown stage."})
    now = timezone.now()
    job = Job(user=user, channel=channel, board=board, board_id=board_id, stage=stage, **values)
    created_at = data.get("created_at") or now
    job.created_at = created_at
    job.updated_at = data.get("updated_at") or created_at
    job.archived_at = data.get("archived_at")
    _validate(job)
    job.url_key = url_key(job.url)
    existing = job_find_duplicate(user=user, url=job.url, board=board, board_id=board_id)
    if existing is not None:
        raise DuplicateJob(existing)
    if (stage == Stage.APPLIED or own_phase == Phase.APPLIED) and job.applied_on is None:
        job.applied_on = timezone.localdate(created_at)
    if history is None:
        history = _start_history(stage, job.applied_on, created_at)
    job.stage_changed_at = history[-1][2] if history else created_at
    with transaction.atomic():
        job.save()
        StageChange.objects.bulk_create(
            StageChange(job=job, user_id=job.user_id, from_stage=old, to_stage=new, changed_at=at)
            for old, new, at in history
        )
        if notes is None:
            first_note = note_text(data.get("notes"))
            notes = [(created_at, first_note)] if first_note else []
        JobNote.objects.bulk_create(
            JobNote(job=job, user_id=job.user_id, body=note_text(body), written_at=at)
            for at, body in notes[:MAX_NOTES_PER_JOB]
            if note_text(body)
        )
    _forget_funnel(job.user_id)
    return job


def job_update(*, job: Job, data: dict) -> Job:
    """Change what is known about a job. Only the keys present in `data` change; the stage
    changes through job_move, the notes through jobs.notes."""
    values = _values(data, POSTING_FIELDS + TRACKING_FIELDS)
    for name, value in values.items():
        setattr(job, name, value)
    _validate(job)
    if "url" in values:
        job.url_key = url_key(job.url)
        existing = job_find_duplicate(
            user=job.user, url=job.url, board=job.board, board_id=job.board_id, exclude_pk=job.pk
        )
        if existing is not None:
            raise DuplicateJob(existing)
    job.updated_at = timezone.now()
    job.save(update_fields=[*values, "url_key", "updated_at"])
    return job


def job_move(*, job: Job, stage: str, at: datetime | None = None) -> StageChange | None:
    """Move a job to another stage and record the move. Moving to the stage it is in does
    nothing. The first move to "applied" sets the applied date if none was given."""
    phase = BUILTIN_PHASES.get(stage)
    if phase is None:
        phase = (
            PersonalStage.objects.filter(user_id=job.user_id, key=stage)
            .values_list("phase", flat=True)
            .first()
        )
    if phase is None:
        raise ValidationError({"stage": "Choose one of the stages."})
    at = at or timezone.now()
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.stage == stage:
            return None
        change = StageChange.objects.create(
            job=locked, user_id=locked.user_id, from_stage=locked.stage, to_stage=stage,
            changed_at=at,
        )  # fmt: skip
        fields = ["stage", "stage_changed_at", "updated_at"]
        locked.stage, locked.stage_changed_at, locked.updated_at = stage, at, at
        if phase == Phase.APPLIED and locked.applied_on is None:
            locked.applied_on = timezone.localdate(at)
            fields.append("applied_on")
        locked.save(update_fields=fields)
    job.stage, job.stage_changed_at, job.updated_at = stage, at, at
    job.applied_on = locked.applied_on
    _forget_funnel(job.user_id)
    return change


def job_archive(*, job: Job) -> Job:
    """Put a job away. Archived jobs are deleted RETENTION_ARCHIVED_JOB_DAYS after this."""
    if job.archived_at is None:
        job.archived_at = job.updated_at = timezone.now()
        job.save(update_fields=["archived_at", "updated_at"])
    return job


def job_unarchive(*, job: Job) -> Job:
    if job.archived_at is not None:
        job.archived_at = None
        job.updated_at = timezone.now()
        job.save(update_fields=["archived_at", "updated_at"])
    return job


def job_delete(*, job: Job) -> None:
    """Delete a job and its history at once."""
    job.delete()
    _forget_funnel(job.user_id)


def job_set_follow_up(*, job: Job, follow_up_on: date | None) -> Job:
    return job_update(job=job, data={"follow_up_on": follow_up_on})


# Bulk actions on the list ----------------------------------------------------------------------

# A list page shows 50 jobs; a form posts at most DATA_UPLOAD_MAX_NUMBER_FIELDS (200) fields,
# so a selection stays well under that.
BULK_MAX = 150


def _selection(user: AbstractBaseUser, job_ids) -> list[Job]:
    """The person's own jobs among `job_ids` (anyone else's ids match nothing), at most
    BULK_MAX of them."""
    ids = list(dict.fromkeys(int(pk) for pk in job_ids))
    if len(ids) > BULK_MAX:
        raise ValidationError(f"Choose at most {BULK_MAX} jobs at once (you chose {len(ids)}).")
    jobs = list(Job.objects.filter(user=user, pk__in=ids).defer("description").order_by("pk"))
    if not jobs:
        raise ValidationError("None of the jobs you ticked is on your list.")
    return jobs


def jobs_selected(*, user: AbstractBaseUser, job_ids) -> list[Job]:
    """The person's own jobs among `job_ids`, for a confirmation or an export."""
    return _selection(user, job_ids)


def jobs_move(*, user: AbstractBaseUser, job_ids, stage: str) -> int:
    """Move the person's jobs among `job_ids` to `stage`, each as job_move does (history, the
    applied date, the funnel). Returns how many moved (those already there do not)."""
    from jobs.stages import stage_map

    own_keys = stage_map(user).keys()
    if stage not in own_keys:
        raise ValidationError({"stage": "Choose one of your stages."})
    moved = 0
    with transaction.atomic():
        for job in _selection(user, job_ids):
            if job_move(job=job, stage=stage) is not None:
                moved += 1
    return moved


def jobs_archive(*, user: AbstractBaseUser, job_ids) -> int:
    count = 0
    with transaction.atomic():
        for job in _selection(user, job_ids):
            if job.archived_at is None:
                job_archive(job=job)
                count += 1
    return count


def jobs_unarchive(*, user: AbstractBaseUser, job_ids) -> int:
    count = 0
    with transaction.atomic():
        for job in _selection(user, job_ids):
            if job.archived_at is not None:
                job_unarchive(job=job)
                count += 1
    return count


def jobs_delete(*, user: AbstractBaseUser, job_ids) -> int:
    """Delete the person's jobs among `job_ids` with their history, as job_delete does for
    one, in one delete."""
    jobs = _selection(user, job_ids)
    with transaction.atomic(), pagecache.deferred():
        Job.objects.filter(user=user, pk__in=[job.pk for job in jobs]).delete()
    _forget_funnel(user.pk)
    return len(jobs)


def jobs_add_tag(*, user: AbstractBaseUser, job_ids, name: str):
    """Put the tag `name` (made if new) on the person's jobs among `job_ids`."""
    from jobs import tags

    jobs = _selection(user, job_ids)
    tag = tags.jobs_add_tag(user=user, job_ids=[job.pk for job in jobs], name=name)
    return tag, len(jobs)


def jobs_remove_tag(*, user: AbstractBaseUser, job_ids, tag_value: str):
    """Take one of the person's tags (by id or name) off their jobs among `job_ids`."""
    from jobs import tags

    tag = tags.tag_find(user, tag_value)
    if tag is None:
        raise ValidationError({"tag": "You have no tag of that name."})
    jobs = _selection(user, job_ids)
    removed = tags.jobs_remove_tag(user=user, job_ids=[job.pk for job in jobs], tag=tag)
    return tag, removed
