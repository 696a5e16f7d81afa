"""A person's own tags on their jobs: named freely, unique per person whatever the case, capped
per person and per job. Reads here take one query whatever the number of jobs."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.db.models.functions import Lower

from jobs.models import TAG_NAME_MAX, Job, JobTag, Tag
from jobtrax import pagecache

MAX_TAGS = 200
MAX_TAGS_PER_JOB = 20
# What a "tags, comma separated" field may hold: MAX_TAGS_PER_JOB names and their commas.
TAGS_TEXT_MAX = MAX_TAGS_PER_JOB * (TAG_NAME_MAX + 2)


def clean_name(name) -> str:
    name = " ".join(str(name or "").replace("\x00", "").replace(",", " ").split())
    if not name:
        raise ValidationError({"tags": "A tag needs a name."})
    if len(name) > TAG_NAME_MAX:
        raise ValidationError(
            {"tags": f"“{name[:TAG_NAME_MAX]}…” is too long: a tag has at most "
                     f"{TAG_NAME_MAX} characters."}
        )  # fmt: skip
    return name


def parse_names(text) -> list[str]:
    """ "remote, Python,  remote" → ["remote", "Python"]: trimmed, the first spelling of each
    name kept, at most MAX_TAGS_PER_JOB."""
    names: dict[str, str] = {}
    for part in str(text or "").split(","):
        if not part.strip():
            continue
        name = clean_name(part)
        names.setdefault(name.lower(), name)
    if len(names) > MAX_TAGS_PER_JOB:
        raise ValidationError({"tags": f"A job can have at most {MAX_TAGS_PER_JOB} tags."})
    return list(names.values())


def tags_of(user) -> list[Tag]:
    """The person's tags, by name: one query."""
    return list(Tag.objects.filter(user=user).order_by(Lower("name"), "pk"))


def tags_with_counts(user) -> list[Tag]:
    return list(
        Tag.objects.filter(user=user)
        .annotate(job_count=Count("jobs"))
        .order_by(Lower("name"), "pk")
    )


def tag_find(user, value) -> Tag | None:
    """One of the person's tags by its id or its name (any case); None for anything else."""
    value = str(value or "").strip()[:TAG_NAME_MAX]
    if not value:
        return None
    tags = Tag.objects.filter(user=user)
    if value.isdigit() and len(value) < 12:
        found = tags.filter(pk=int(value)).first()
        if found is not None:
            return found
    return tags.filter(name__iexact=value).first()


def tags_by_job(user, job_ids) -> dict[int, list[tuple[int, str]]]:
    """(id, name) of the tags on each of `job_ids`, by name: one query over the links."""
    found: dict[int, list[tuple[int, str]]] = {}
    links = (
        JobTag.objects.filter(user=user, job_id__in=list(job_ids))
        .order_by(Lower("tag__name"), "tag_id")
        .values_list("job_id", "tag_id", "tag__name")
    )
    for job_id, tag_id, name in links:
        found.setdefault(job_id, []).append((tag_id, name))
    return found


def tags_get_or_create(*, user, names: list[str]) -> list[Tag]:
    """The person's tags of these names, created if new, within MAX_TAGS."""
    user_id = getattr(user, "pk", user)
    names = [clean_name(n) for n in names]
    if not names:
        return []
    existing = {t.name.lower(): t for t in Tag.objects.filter(user_id=user_id)}
    wanted, new = [], []
    for name in names:
        tag = existing.get(name.lower())
        if tag is None:
            tag = Tag(user_id=user_id, name=name)
            existing[name.lower()] = tag
            new.append(tag)
        if tag not in wanted:
            wanted.append(tag)
    if new:
        total = len(existing)
        if total > MAX_TAGS:
            raise ValidationError(
                {"tags": f"You can have at most {MAX_TAGS} tags: rename or delete some of "
                         "yours (Your tags) first."}
            )  # fmt: skip
        try:
            with transaction.atomic():
                Tag.objects.bulk_create(new)
                pagecache.bump([user_id])  # bulk_create sends no signal
        except IntegrityError:
            # Created meanwhile by another request: read them again.
            by_name = {t.name.lower(): t for t in Tag.objects.filter(user_id=user_id)}
            wanted = [by_name[n.lower()] for n in names if n.lower() in by_name]
    return wanted


def _check_per_job(job_ids, user) -> None:
    counts = (
        JobTag.objects.filter(user=user, job_id__in=list(job_ids))
        .values("job_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=MAX_TAGS_PER_JOB)
        .order_by()
    )
    if counts.exists():
        raise ValidationError({"tags": f"A job can have at most {MAX_TAGS_PER_JOB} tags."})


def job_set_tags(*, job: Job, names: list[str]) -> list[Tag]:
    """Make `names` the job's tags: new names become tags, tags left out come off the job
    (and stay among the person's tags)."""
    if len(names) > MAX_TAGS_PER_JOB:
        raise ValidationError({"tags": f"A job can have at most {MAX_TAGS_PER_JOB} tags."})
    with transaction.atomic():
        tags = tags_get_or_create(user=job.user_id, names=names)
        keep = [t.pk for t in tags]
        JobTag.objects.filter(job=job).exclude(tag_id__in=keep).delete()
        JobTag.objects.bulk_create(
            [JobTag(job_id=job.pk, tag=t, user_id=job.user_id) for t in tags],
            ignore_conflicts=True,
        )
        pagecache.bump([job.user_id])  # bulk_create sends no signal
    return tags


def jobs_add_tag(*, user, job_ids: list[int], name: str) -> Tag:
    """Put one tag (made if new) on the person's jobs among `job_ids`."""
    with transaction.atomic():
        (tag,) = tags_get_or_create(user=user, names=[name])
        JobTag.objects.bulk_create(
            [JobTag(job_id=pk, tag=tag, user_id=user.pk) for pk in job_ids],
            ignore_conflicts=True,
        )
        _check_per_job(job_ids, user)
        pagecache.bump([user.pk])  # bulk_create sends no signal
    return tag


def jobs_remove_tag(*, user, job_ids: list[int], tag: Tag) -> int:
    with transaction.atomic(), pagecache.deferred():
        deleted, _ = JobTag.objects.filter(user=user, tag=tag, job_id__in=job_ids).delete()
    return deleted


def tag_rename(*, tag: Tag, name: str) -> Tag:
    name = clean_name(name)
    clash = Tag.objects.filter(user_id=tag.user_id, name__iexact=name).exclude(pk=tag.pk)
    if clash.exists():
        raise ValidationError({"name": f"You already have a tag named “{name}”."})
    tag.name = name
    tag.save(update_fields=["name"])
    return tag


def tag_delete(*, tag: Tag) -> None:
    """Delete a tag; the jobs stay, without it."""
    tag.delete()
