"""The importer's flow: three ways in (a link, a pasted page, the bookmarklet), one preview.

Every write goes through a function here; the views and the task call them. A link is read in
a Celery task on the `imports` queue; a pasted page and a bookmarklet payload are read at once.
What was found waits in an ImportPreview until its owner confirms one posting (it becomes a
job through jobs.services.job_create) or discards it; either way the preview is deleted.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import time
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from importer.boards import ADAPTERS, BoardRef, board_for_url, is_board, parse
from importer.extract import extract_postings, posting_from_text
from importer.extract.jsonld import MAX_POSTINGS as EXTRACTOR_CAP
from importer.fetch import MESSAGES as FETCH_MESSAGES
from importer.fetch import FetchError, check_url, fetch
from importer.models import ImportPreview, PendingCapture
from importer.payload import PayloadError, check_payload, payload_page, read_payload
from importer.posting import Posting

logger = logging.getLogger(__name__)

MESSAGES = {
    **FETCH_MESSAGES,
    "no_posting": "No job posting was found on that page. If the posting is there, paste its "
    "text instead, or type the job in.",
    "too_many_postings": "That page lists too many postings to choose from. Open the one you "
    "want and import it alone.",
    "rate_limited": "You have imported many links in the last hour. Wait a while, or paste the "
    "page itself.",
    "paste_rate_limited": "You have pasted many pages in the last hour. Wait a while, or add "
    "the job by hand.",
    "too_slow": "That page took too long to read. Paste only the posting's text instead.",
    "unreadable_answer": "The job board answered with something JobTrax cannot read. Paste the "
    "page itself instead.",
    "internal": "Something went wrong while reading that posting. Try again, or paste the page "
    "itself.",
}
# A page's source starts with a tag, or holds the document's own; anything else is plain text.
LOOKS_LIKE_HTML = re.compile(r"^\s*<|<\s*(!doctype|html|head|body)\b", re.I)


class ImportRefused(Exception):
    """An import that cannot start; `message` is fit to show to the user."""

    def __init__(self, code: str, message: str | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.message = message or MESSAGES[code]


def preview_cutoff():
    """Previews made before this are past the `import_previews` retention window."""
    from jobtrax import datamap

    return timezone.now() - datamap.policy("import_previews").window


def message_for(code: str) -> str:
    return MESSAGES.get(code, MESSAGES["internal"])


# What a person can do next after each failure; "paste" is offered after every one.
NEXT_STEPS = {
    "site_refused": ("paste", "bookmarklet"),
    "not_found": ("paste", "type"),
    "no_posting": ("paste", "type"),
    "unsupported_type": ("paste", "type"),
    "bad_url": ("link", "paste"),
    "dns_failure": ("paste", "type"),
}


def next_steps(code: str) -> tuple[str, ...]:
    return NEXT_STEPS.get(code, ("paste", "bookmarklet"))


# Reading ---------------------------------------------------------------------------------------


def _limited(postings: list[Posting]) -> list[Posting]:
    postings = [p for p in postings if p.title or p.description]
    if not postings:
        raise ImportRefused("no_posting")
    # The extractor stops counting at its cap: a page that reaches it lists too many to pick.
    if len(postings) >= min(EXTRACTOR_CAP, settings.IMPORTER_MAX_POSTINGS):
        raise ImportRefused("too_many_postings")
    return postings


def read_link(url: str) -> list[Posting]:
    """The postings behind a link: a known board through its public API, else the page."""
    ref = board_for_url(url)
    if ref is not None:
        try:
            return _read_board(ref)
        except (FetchError, ImportRefused):
            if not ADAPTERS[ref.source].page_fallback:
                raise
    fetched = fetch(url)
    content_type = fetched.content_type
    if fetched.charset:
        content_type += f"; charset={fetched.charset}"
    postings = extract_postings(fetched.content, url=fetched.url, content_type=content_type)
    return _with_url(postings, fetched.url)


def _read_board(ref: BoardRef) -> list[Posting]:
    failure = FetchError("not_found")
    for api_url in ref.api_urls:
        try:
            fetched = fetch(api_url)
        except FetchError as exc:
            failure = exc
            continue
        try:
            data = json.loads(fetched.content)
        except ValueError:
            raise ImportRefused("unreadable_answer") from None
        postings = parse(ref.source, data, ref=ref)
        if postings:
            return postings
    raise failure


def _with_url(postings: list[Posting], url: str) -> list[Posting]:
    """A posting that does not name its own address gets the page's it was found on."""
    return [p if p.url or not url else replace(p, url=url) for p in postings]


def _link_slot_taken(user: AbstractBaseUser) -> bool:
    """Count one link import for the user in this hour; False once the hour's limit is spent."""
    return _slot_taken(user, "links", settings.IMPORTER_LINK_IMPORTS_PER_HOUR)


def _paste_slot_taken(user: AbstractBaseUser) -> bool:
    """Count one pasted page (or bookmarklet page) read for the user in this hour."""
    return _slot_taken(user, "pastes", settings.IMPORTER_PASTE_IMPORTS_PER_HOUR)


def _slot_taken(user: AbstractBaseUser, kind: str, limit: int) -> bool:
    key = f"importer:{kind}:{user.pk}:{int(time.time() // 3600)}"
    cache.add(key, 0, 3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, 3600)
        count = 1
    return count <= limit


# Writes ----------------------------------------------------------------------------------------


def preview_start_link(
    *, user: AbstractBaseUser, url: str, method: str = ImportPreview.Method.LINK
) -> ImportPreview:
    """Queue the reading of a link. The task gets the preview's id, never the URL."""
    try:
        url = check_url(url)
    except FetchError as exc:
        raise ImportRefused(exc.code) from None
    if not _link_slot_taken(user):
        raise ImportRefused("rate_limited")
    preview = ImportPreview.objects.create(owner=user, method=method, link=url)
    preview_id = str(preview.pk)
    transaction.on_commit(lambda: _queue_read(preview_id))
    return preview


def _queue_read(preview_id: str) -> None:
    from importer.tasks import preview_read

    preview_read.delay(preview_id)


def preview_read_link(*, preview_id: str) -> ImportPreview | None:
    """Fetch and extract a pending link preview; the link is forgotten either way."""
    preview = ImportPreview.objects.filter(
        pk=preview_id, status=ImportPreview.Status.PENDING
    ).first()
    if preview is None:
        return None
    try:
        postings = _limited(read_link(preview.link))
    except (FetchError, ImportRefused) as exc:
        preview.status, preview.error = ImportPreview.Status.FAILED, exc.code
    except SoftTimeLimitExceeded:
        # Before the broad handler below, which would report it as an internal error.
        preview.status, preview.error = ImportPreview.Status.FAILED, "too_slow"
    except Exception:
        logger.exception("import preview %s failed", preview.pk)
        preview.status, preview.error = ImportPreview.Status.FAILED, "internal"
    else:
        preview.status, preview.postings = ImportPreview.Status.READY, _stored(postings)
    preview.link = ""
    preview.save(update_fields=["status", "error", "postings", "link"])
    logger.info("import preview %s %s", preview.pk, preview.status)
    return preview


def preview_fail_stalled() -> int:
    """A link import still pending IMPORTER_LINK_DEADLINE_SECONDS after it started failed: its
    worker was killed or is stuck. It ends as "took too long" and its URL is erased."""
    cutoff = timezone.now() - timedelta(seconds=settings.IMPORTER_LINK_DEADLINE_SECONDS)
    return ImportPreview.objects.filter(
        status=ImportPreview.Status.PENDING, created_at__lt=cutoff
    ).update(status=ImportPreview.Status.FAILED, error="too_slow", link="")


def preview_from_page(*, user: AbstractBaseUser, content: str, url: str = "") -> ImportPreview:
    """A pasted page source (the extractor reads it) or plain text (kept as the description)."""
    if url:
        try:
            url = check_url(url)
        except FetchError as exc:
            raise ImportRefused(exc.code) from None
    if not _paste_slot_taken(user):
        raise ImportRefused("paste_rate_limited")
    if LOOKS_LIKE_HTML.search(content):
        postings = extract_postings(content, url=url, content_type="text/html; charset=utf-8")
        postings = _with_url(postings, url)
    else:
        postings = [replace(posting_from_text(content), url=url)]
    return _ready(user=user, method=ImportPreview.Method.PASTE, postings=_limited(postings))


def preview_from_bookmarklet(*, user: AbstractBaseUser, payload: str) -> ImportPreview:
    """What the bookmarklet sent from the page the user was on. Untrusted in every way."""
    try:
        data = read_payload(payload)
    except PayloadError as exc:
        raise ImportRefused(exc.code, exc.message) from None
    return _preview_from_checked(user=user, data=data)


def preview_from_capture(*, user: AbstractBaseUser, data: dict) -> ImportPreview:
    """What the extension (or an API client) captured from a page: the bookmarklet's payload,
    as a JSON object rather than a URL fragment. Untrusted in every way."""
    try:
        data = check_payload(data)
    except PayloadError as exc:
        raise ImportRefused(exc.code, exc.message) from None
    return _preview_from_checked(user=user, data=data)


def _preview_from_checked(*, user: AbstractBaseUser, data: dict) -> ImportPreview:
    url = data["url"]
    method = ImportPreview.Method.BOOKMARKLET
    if data["url_only"] or board_for_url(url) is not None:
        # Too large to send, or a known board: read it through the link (its API).
        return preview_start_link(user=user, url=url, method=method)
    page_url = data["canonical"] or url
    if not _paste_slot_taken(user):
        raise ImportRefused("paste_rate_limited")
    postings = extract_postings(
        payload_page(data), url=page_url, content_type="text/html; charset=utf-8"
    )
    postings = _with_url(postings, page_url)
    if not postings and data["selection"]:
        postings = [replace(posting_from_text(data["selection"]), url=url)]
    if not postings:
        return preview_start_link(user=user, url=url, method=method)
    return _ready(user=user, method=method, postings=_limited(postings))


def preview_from_postings(*, user: AbstractBaseUser, postings: list[dict]) -> ImportPreview:
    """Candidate postings found elsewhere (a forwarded job alert or posting), each saved only if
    the person picks it. Each is a dict of title, company, location, url and, for a posting,
    its plain-text description; all treated as untrusted."""
    found = []
    for item in postings[: settings.IMPORTER_MAX_POSTINGS - 1]:
        url = str(item.get("url") or "")
        try:
            url = check_url(url) if url else ""
        except FetchError:
            url = ""
        text = str(item.get("description") or "")
        found.append(
            replace(
                posting_from_text(text) if text else Posting(),
                title=str(item.get("title") or "")[:200],
                company=str(item.get("company") or "")[:200],
                location=str(item.get("location") or "")[:200],
                url=url,
                source="text",
            )
        )
    return _ready(user=user, method=ImportPreview.Method.EMAIL, postings=found)


def _ready(*, user: AbstractBaseUser, method: str, postings: list[Posting]) -> ImportPreview:
    return ImportPreview.objects.create(
        owner=user, method=method, status=ImportPreview.Status.READY, postings=_stored(postings)
    )


def preview_confirm(
    *, preview: ImportPreview, data: dict, posting: Posting, channel: str = "", stage: str = ""
):
    """Save the confirmed posting as a job and forget the preview. `channel` names the way in
    when it is not the preview's own method (the extension, the API, a share).

    Raises jobs.services.DuplicateJob or ValidationError like job_create; then nothing changes.
    """
    from jobs.services import job_create

    origin = job_origin(preview, posting)
    if channel:
        origin["channel"] = channel
    extra = {"stage": stage} if stage else {}
    with transaction.atomic():
        job = job_create(user=preview.owner, data=data, **origin, **extra)
        preview.delete()
    return job


def preview_confirm_into(*, preview: ImportPreview, data: dict, job, stage: str = ""):
    """Update the job that already tracks this posting with what was confirmed, move it to
    `stage` if one is given, and forget the preview."""
    from jobs.services import job_move, job_update

    with transaction.atomic():
        job = job_update(job=job, data=data)
        if stage:
            job_move(job=job, stage=stage)
        preview.delete()
    return job


def preview_discard(*, preview: ImportPreview) -> None:
    preview.delete()


# Captures sent while signed out ------------------------------------------------------------


def capture_cutoff():
    from importer.personal_data import CAPTURE_HOLD

    return timezone.now() - CAPTURE_HOLD


def capture_hold(*, payload: str) -> PendingCapture:
    """Hold what the bookmarklet sent while its sender is signed out. The payload is checked
    as at an import (ImportRefused when it is not acceptable); the caller keeps the token."""
    try:
        read_payload(payload)
    except PayloadError as exc:
        raise ImportRefused(exc.code, exc.message) from None
    return PendingCapture.objects.create(token=secrets.token_urlsafe(32), payload=payload)


def capture_take(*, user: AbstractBaseUser, token: str) -> ImportPreview | None:
    """Turn the held capture into the user's import preview; None when it is gone (taken,
    past its hour, or never there). The capture is deleted either way."""
    if not token:
        return None
    with transaction.atomic():
        capture = PendingCapture.objects.select_for_update().filter(token=token).first()
        if capture is None:
            return None
        capture.delete()
        if capture.created_at < capture_cutoff():
            return None
        return preview_from_bookmarklet(user=user, payload=capture.payload)


# Postings as stored ------------------------------------------------------------------------------


def _stored(postings: list[Posting]) -> list[dict]:
    return [posting.as_json() for posting in postings]


def posting_from_stored(data: dict) -> Posting:
    """A Posting back from its stored JSON; anything malformed is dropped, never trusted."""
    if not isinstance(data, dict):
        return Posting()

    def text(name: str) -> str:
        value = data.get(name)
        return value if isinstance(value, str) else ""

    def number(name: str) -> Decimal | None:
        value = data.get(name)
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            return None
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return None

    def day(name: str) -> date | None:
        try:
            return date.fromisoformat(text(name)) if text(name) else None
        except ValueError:
            return None

    remote = data.get("remote")
    checks = data.get("needs_check")
    return Posting(
        title=text("title"),
        company=text("company"),
        location=text("location"),
        remote=remote if isinstance(remote, bool) else None,
        workplace=text("workplace") or "unknown",
        employment_type=text("employment_type"),
        salary_min=number("salary_min"),
        salary_max=number("salary_max"),
        salary_currency=text("salary_currency"),
        salary_interval=text("salary_interval"),
        date_posted=day("date_posted"),
        valid_through=day("valid_through"),
        url=text("url"),
        apply_url=text("apply_url"),
        description=text("description"),
        source=text("source"),
        board_id=text("board_id"),
        needs_check=tuple(c for c in checks if isinstance(c, str))
        if isinstance(checks, list)
        else (),
    )


def job_origin(preview: ImportPreview, posting: Posting) -> dict:
    """Where the job came from: the channel is how it came in (link, paste, bookmarklet), the
    board the ATS or job board it was read from, with the board's own id."""
    from_board = is_board(posting.source)
    return {
        "channel": preview.method,
        "board": posting.source if from_board else "",
        "board_id": posting.board_id if from_board else "",
    }


# What the preview calls each posting field when it asks the person to check it.
CHECK_LABELS = {
    "title": "Job title",
    "company": "Company",
    "location": "Location",
    "workplace": "Workplace (remote, hybrid or on-site)",
    "remote": "Workplace (remote, hybrid or on-site)",
    "employment_type": "Employment type",
    "salary_min": "Salary",
    "salary_max": "Salary",
    "salary_currency": "Salary currency",
    "salary_interval": "Salary period",
    "url": "Link to the posting",
    "apply_url": "Link to apply",
    "description": "Description",
    "date_posted": "Date posted",
    "valid_through": "Deadline",
}
# The form field that shows each posting field.
CHECK_FIELDS = {"remote": "workplace"}


def check_labels(names) -> list[str]:
    """The human labels of the fields to check, each once, in the form's order."""
    labels = [CHECK_LABELS.get(name, "Other details") for name in names]
    return list(dict.fromkeys(labels))


def form_initial(preview: ImportPreview, posting: Posting) -> dict:
    initial = posting.as_form_initial()
    initial.pop("source", None)
    initial.update(job_origin(preview, posting))
    return initial


# A saved job and a new import of it ----------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One field where a new import differs from the job already saved."""

    name: str
    label: str
    saved: str
    imported: str
    take: bool  # offered ticked: the saved job has nothing there


def _import_values(preview: ImportPreview, posting: Posting) -> dict:
    """The posting's values as the job form would save them (types and spellings normalised)."""
    from jobs.forms import JobForm

    form = JobForm(initial=form_initial(preview, posting))
    return {**form.initial, "description": form.description_html}


def _shown(name: str, value) -> str:
    from django.utils.dateformat import format as date_format

    from jobs.forms import JobForm
    from jobs.sanitize import description_text

    if value in (None, ""):
        return ""
    if name == "description":
        text = " ".join(description_text(value).split())
        return text if len(text) <= 300 else text[:300].rstrip() + "…"
    if isinstance(value, Decimal):
        return f"{int(value):,}" if value == value.to_integral_value() else f"{value:,}"
    if isinstance(value, date):
        return date_format(value, "j M Y")
    choices = dict(getattr(JobForm.base_fields[name], "choices", None) or ())
    return str(choices.get(value, value))


def _same(name: str, saved, imported) -> bool:
    from jobs.sanitize import sanitize_description

    if name == "description":
        return (saved or "") == sanitize_description(imported)
    if isinstance(saved, str) or isinstance(imported, str):
        return str(saved or "").strip() == str(imported or "").strip()
    return saved == imported


def duplicate_changes(*, preview: ImportPreview, posting: Posting, job) -> list[Change]:
    """The posting fields where this import says something the saved job does not."""
    from jobs.forms import JobForm
    from jobs.services import POSTING_FIELDS

    imported = _import_values(preview, posting)
    changes = []
    for name in POSTING_FIELDS:
        new, old = imported.get(name), getattr(job, name)
        if new in (None, "") or (name == "workplace" and new == "unknown"):
            continue
        if name == "url" or _same(name, old, new):
            continue
        empty = old in (None, "") or (name == "workplace" and old == "unknown")
        changes.append(
            Change(
                name=name,
                label=str(JobForm.base_fields[name].label),
                saved=_shown(name, old),
                imported=_shown(name, new),
                take=empty,
            )
        )
    return changes


def preview_update_job(*, preview: ImportPreview, job, posting: Posting, fields) -> object:
    """Update a saved job with the picked fields of a new import of it, and forget the import.

    Raises ValidationError like jobs.services.job_update; then nothing changes."""
    from jobs.services import POSTING_FIELDS, job_update

    imported = _import_values(preview, posting)
    data = {name: imported.get(name) for name in fields if name in POSTING_FIELDS}
    with transaction.atomic():
        job = job_update(job=job, data=data)
        preview.delete()
    return job
