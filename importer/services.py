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
import time
from dataclasses import replace
from datetime import date
from decimal import Decimal, InvalidOperation

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
from importer.models import ImportPreview
from importer.payload import PayloadError, payload_page, read_payload
from importer.posting import Posting

logger = logging.getLogger(__name__)

MESSAGES = {
    **FETCH_MESSAGES,
    "no_posting": "No job posting was found there. Paste the posting's text instead, and fill "
    "in the rest yourself.",
    "too_many_postings": "That page lists too many postings to choose from. Open the one you "
    "want and import it alone.",
    "rate_limited": "You have imported many links in the last hour. Wait a while, or paste the "
    "page itself.",
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
    key = f"importer:links:{user.pk}:{int(time.time() // 3600)}"
    cache.add(key, 0, 3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, 3600)
        count = 1
    return count <= settings.IMPORTER_LINK_IMPORTS_PER_HOUR


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
    except Exception:
        logger.exception("import preview %s failed", preview.pk)
        preview.status, preview.error = ImportPreview.Status.FAILED, "internal"
    else:
        preview.status, preview.postings = ImportPreview.Status.READY, _stored(postings)
    preview.link = ""
    preview.save(update_fields=["status", "error", "postings", "link"])
    logger.info("import preview %s %s", preview.pk, preview.status)
    return preview


def preview_from_page(*, user: AbstractBaseUser, content: str, url: str = "") -> ImportPreview:
    """A pasted page source (the extractor reads it) or plain text (kept as the description)."""
    if url:
        try:
            url = check_url(url)
        except FetchError as exc:
            raise ImportRefused(exc.code) from None
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
    url = data["url"]
    method = ImportPreview.Method.BOOKMARKLET
    if data["url_only"] or board_for_url(url) is not None:
        # Too large to send, or a known board: read it through the link (its API).
        return preview_start_link(user=user, url=url, method=method)
    page_url = data["canonical"] or url
    postings = extract_postings(
        payload_page(data), url=page_url, content_type="text/html; charset=utf-8"
    )
    postings = _with_url(postings, page_url)
    if not postings and data["selection"]:
        postings = [replace(posting_from_text(data["selection"]), url=url)]
    if not postings:
        return preview_start_link(user=user, url=url, method=method)
    return _ready(user=user, method=method, postings=_limited(postings))


def _ready(*, user: AbstractBaseUser, method: str, postings: list[Posting]) -> ImportPreview:
    return ImportPreview.objects.create(
        owner=user, method=method, status=ImportPreview.Status.READY, postings=_stored(postings)
    )


def preview_confirm(*, preview: ImportPreview, data: dict, posting: Posting):
    """Save the confirmed posting as a job and forget the preview.

    Raises jobs.services.DuplicateJob or ValidationError like job_create; then nothing changes.
    """
    from jobs.services import job_create

    with transaction.atomic():
        job = job_create(user=preview.owner, data=data, **job_origin(preview, posting))
        preview.delete()
    return job


def preview_discard(*, preview: ImportPreview) -> None:
    preview.delete()


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


def form_initial(preview: ImportPreview, posting: Posting) -> dict:
    initial = posting.as_form_initial()
    initial.pop("source", None)
    initial.update(job_origin(preview, posting))
    return initial
