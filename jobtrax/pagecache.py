"""The costly parts of signed-in pages, rendered once per change of the person's data.

A job seeker opens the board, the list and "Your data" all day, and those pages change only
when that person's data does. Each account carries a version (`User.data_version`): every
save or delete of a row of personal data that pages show (each kind declared in the apps'
personal_data.py, unless it says `changes_pages=False`) raises it, in the same transaction as
the change, so no page can see the new data with the old version. A part of a page is kept
in the cache with the version it was rendered at and served while the account's version is
unchanged; the next request after any change renders it afresh.

What it relies on, and what keeps it true:
- The version is read from the account row every signed-in request loads anyway: no query and
  no cache round trip to decide.
- Writes that bypass model signals (`QuerySet.update`, `bulk_create`) on shown data call
  `bump()` themselves.
- A model save never writes the version back (accounts.models.User.save), so an account loaded
  before a change cannot undo it.
- The cache is an optimisation (jobtrax.cache): with Redis unreachable the part is rendered on
  each request.
- Forms inside a cached part carry a placeholder where the CSRF token goes, replaced by this
  request's token on the way out; nothing else in a part depends on the request.
- Erasing an account deletes its cached parts (an erase step), and so does every change; the
  rest expire after SECONDS at most.
"""

from __future__ import annotations

import functools
import hashlib
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.contrib import messages
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from jobtrax.cache import cache_delete_many, cache_get, cache_get_many, cache_set
from jobtrax.csrf import get_token
from jobtrax.sessions import read_with_session

SECONDS = 600
# Where a form's CSRF token goes in a cached part.
CSRF_PLACEHOLDER = "jobtrax-csrf-token-placeholder"
# The parts kept per account; each holds one rendering (the latest variant) at a time.
PARTS = ("board", "list", "data", "logs", "job", "preview")


def cache_key(user_id: int | str, part: str) -> str:
    return f"pages:{user_id}:{part}"


_deferred = threading.local()


def bump(user_ids: Iterable[int | None]) -> None:
    """Raise the accounts' versions (in the caller's transaction) and forget their parts."""
    from django.contrib.auth import get_user_model

    ids = {pk for pk in user_ids if pk is not None}
    if not ids:
        return
    pending = getattr(_deferred, "ids", None)
    if pending is not None:
        pending.update(ids)
        return
    get_user_model().objects.filter(pk__in=sorted(ids)).update(data_version=F("data_version") + 1)
    forget(ids)


@contextmanager
def deferred() -> Iterator[None]:
    """Bump each account once, at the end, for writes of many rows (a bulk delete cascading
    to hundreds of rows, each with its own signal). Use it inside the writes' transaction."""
    if getattr(_deferred, "ids", None) is not None:  # already deferring
        yield
        return
    _deferred.ids = set()
    try:
        yield
    finally:
        ids, _deferred.ids = _deferred.ids, None
    bump(ids)


def owner_fields(model) -> tuple[str, ...] | None:
    """The fields naming the account a row of `model` belongs to ("pk" for the account
    itself), if its writes change pages; None if they do not."""
    return _owner_fields.get(model._meta.label)


def forget(user_ids: Iterable[int]) -> None:
    """Delete the accounts' cached parts (best effort: the version guards them anyway)."""
    cache_delete_many([cache_key(pk, part) for pk in user_ids for part in PARTS])


def erase_account_pages(*, user_id: int) -> None:
    forget([user_id])


def _receiver(user_fields: tuple[str, ...]) -> Callable[..., None]:
    def changed(sender, instance, **kwargs) -> None:
        if kwargs.get("raw"):  # fixtures being loaded
            return
        if user_fields:
            bump(getattr(instance, f"{name}_id", None) for name in user_fields)
        else:  # the account row itself
            bump([instance.pk])

    return changed


_watched: dict[str, Callable[..., None]] = {}
_owner_fields: dict[str, tuple[str, ...]] = {}


def watch(model: str, user_fields: tuple[str, ...]) -> None:
    """Raise the owner's version whenever a row of `model` ("app_label.Model") is saved or
    deleted. The model may not be loaded yet: Django connects string senders when it is."""
    if model in _watched:
        return
    receiver = _watched[model] = _receiver(user_fields)
    _owner_fields[model] = user_fields or ("pk",)
    post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"pagecache:{model}:s")
    post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"pagecache:{model}:d")


@functools.cache
def code_stamp() -> str:
    """A digest of the project's templates and code as this process found them: a part kept
    by the previous release is not served by the next one."""
    from django.apps import apps

    root = Path(settings.BASE_DIR).resolve()
    folders = {root / "templates"}
    folders.update(
        Path(config.path)
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(root)
    )
    digest = hashlib.sha256()
    for folder in sorted(folders):
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".py", ".html") and path.is_file():
                status = path.stat()
                digest.update(
                    f"{path.relative_to(root)}:{status.st_size}:{status.st_mtime_ns}\n".encode()
                )
    return digest.hexdigest()[:16]


def kept(user_id: int, name: str, compute: Callable[[], str], *, seconds: int) -> str:
    """`compute()`, kept `seconds` whatever changes: for what changes on every request (log
    counts), where a minute's delay is the price of not counting on every request."""
    key = cache_key(user_id, name)
    value = cache_get(key)
    if not isinstance(value, str):
        value = compute()
        cache_set(key, value, seconds)
    return value


class Kept(NamedTuple):
    """A slot's piece kept `seconds` whatever changes (see `kept`): read in the same round
    trip as the page around it."""

    compute: Callable[[], str]
    seconds: int


Slots = dict[str, "Callable[[], str] | Kept"]


def slot(name: str) -> SafeString:
    """Where a live piece goes in a cached part (see `part`'s `slots`)."""
    return mark_safe(f"<!--jobtrax-slot:{name}-->")  # noqa: S308


NONCE_PLACEHOLDER = "jobtrax-csp-nonce-placeholder"


# What the page frame shows besides the person's data, from apps above this one (the
# notice's banner): each function returns a short key of what it currently shows.
_frame_keys: list[Callable[[], str]] = []


def register_frame_key(key: Callable[[], str]) -> None:
    if key not in _frame_keys:
        _frame_keys.append(key)


def _frame_variant(request) -> str:
    """What the page frame around a part shows besides the person's data: the address (the
    banners' "next"), the Global Privacy Control signal and what the apps registered (the
    latest material change of the notice, for its banner)."""
    return "|".join(
        (
            request.get_full_path(),
            request.headers.get("Sec-GPC", ""),
            *(key() for key in _frame_keys),
        )
    )


class NotKept(Exception):  # noqa: N818 - an answer, not an error
    """Raised by a page's `build` when the request gets another answer (a redirect, a page
    that is not kept): `page` returns `response` and keeps nothing."""

    def __init__(self, response: HttpResponse) -> None:
        super().__init__("not kept")
        self.response = response


def page(request, name: str, build: Callable[[str], str], *, variant: str = "",
         slots: Slots | None = None,
         until: Callable[[], float] | None = None) -> HttpResponse:  # fmt: skip
    """The whole page `name` for the signed-in person, frame included: from the cache while
    their data is unchanged and the `variant` (what else the page depends on: the date, the
    query) is the same, else `build(csrf_token)` renders it and it is kept. `build` receives
    the placeholder to put where the CSRF token goes. `slots`: pieces read live on every
    request (what changes without a change of the person's data, such as log counts), each
    rendered by its function where the page holds `slot(name)`, or kept for a while (`Kept`).
    `until`: when the page may no longer be served (a time.time() value), asked for after
    `build` (what it read says when), for what ends by the clock, not by a change.

    A page is kept as bytes cut where each response puts its own values (the CSRF token, the
    CSP nonce the rendering used, the slots), so serving it only joins bytes. A request with
    messages waiting is rendered for itself (they are shown once)."""
    if not settings.PAGE_CACHE or len(messages.get_messages(request)):
        try:
            return HttpResponse(_fill(request, str(build(get_token(request))), slots))
        except NotKept as answer:
            return answer.response
    slots = slots or {}
    user_id = request.user.pk
    key = cache_key(user_id, name)
    stamp = (request.user.data_version, code_stamp(), f"{variant}|{_frame_variant(request)}")
    kept_slots = {cache_key(user_id, n): n for n, piece in slots.items() if isinstance(piece, Kept)}
    _learn(request, (name, *kept_slots.values()))
    found = cache_get_many([key, *kept_slots])  # the page and its kept slots: one round trip
    kept = found.get(key)
    if (
        isinstance(kept, tuple)
        and len(kept) == 3
        and kept[0] == stamp
        and (kept[2] is None or time.time() < kept[2])
    ):
        pieces = kept[1]
    else:
        try:
            html = str(build(CSRF_PLACEHOLDER))
        except NotKept as answer:
            return answer.response
        nonce = getattr(request, "_csp_nonce", None)
        if nonce:
            html = html.replace(nonce, NONCE_PLACEHOLDER)
        pieces = _cut(html, slots)
        cache_set(key, (stamp, pieces, until() if until else None), SECONDS)

    def live(slot_name: str) -> str:
        piece = slots[slot_name]
        if not isinstance(piece, Kept):
            return str(piece())
        slot_key = cache_key(user_id, slot_name)
        value = found.get(slot_key)
        if not isinstance(value, str):
            value = str(piece.compute())
            cache_set(slot_key, value, piece.seconds)
        return value

    return HttpResponse(_join(request, pieces, live))


# The parts each address read last (a GET), so that its next request reads them with its
# session (jobtrax.sessions): one round trip for the session, the account and the page. At
# most LEARNED addresses are remembered; then the memo starts again.
LEARNED = 4096
_learned: dict[str, tuple[str, ...]] = {}


def _learn(request, parts: tuple[str, ...]) -> None:
    if request.method in ("GET", "HEAD") and _learned.get(request.path_info) != parts:
        if len(_learned) >= LEARNED:
            _learned.clear()
        _learned[request.path_info] = parts


def _read_with_session(request) -> tuple[str, ...]:
    if request.method not in ("GET", "HEAD") or not settings.PAGE_CACHE:
        return ()
    return tuple(cache_key("{}", part) for part in _learned.get(request.path_info, ()))


read_with_session(_read_with_session)


# What goes between the kept bytes of a page: this response's token, nonce, or a slot.
_CSRF, _NONCE = ("csrf",), ("nonce",)


def _cut(html: str, slots: Slots) -> list[bytes | tuple[str, ...]]:
    """`html` as bytes, cut wherever a placeholder was, the placeholder's marker between."""
    markers = {CSRF_PLACEHOLDER: _CSRF, NONCE_PLACEHOLDER: _NONCE}
    markers.update((slot(name), ("slot", name)) for name in slots)
    pieces: list[str | tuple[str, ...]] = [html]
    for placeholder, marker in markers.items():
        cut: list[str | tuple[str, ...]] = []
        for piece in pieces:
            if isinstance(piece, tuple):
                cut.append(piece)
                continue
            for n, text in enumerate(piece.split(placeholder)):
                if n:
                    cut.append(marker)
                cut.append(text)
        pieces = cut
    return [piece if isinstance(piece, tuple) else piece.encode() for piece in pieces if piece]


def _join(request, pieces: list[bytes | tuple[str, ...]],
          live: Callable[[str], str]) -> bytes:  # fmt: skip
    values: dict[tuple[str, ...], bytes] = {}
    for piece in pieces:
        if isinstance(piece, tuple) and piece not in values:
            if piece == _CSRF:
                values[piece] = get_token(request).encode()
            elif piece == _NONCE:
                values[piece] = str(request.csp_nonce).encode()
            else:
                values[piece] = live(piece[1]).encode()
    return b"".join(values[piece] if isinstance(piece, tuple) else piece for piece in pieces)


def framed(request, name: str, template: str, build_body: Callable[[str], str], *,
           context: dict | Callable[[], dict] | None = None, variant: str = "",
           slots: Slots | None = None,
           until: Callable[[], float] | None = None) -> HttpResponse:  # fmt: skip
    """`page` for a page whose `template` frames a body: `build_body(token)` renders the body,
    the template receives it as `body` with `context` (or what `context()` returns, asked for
    only when the page is rendered)."""

    def build(token: str) -> str:
        body = mark_safe(str(build_body(token)))  # noqa: S308 - a rendered template
        extra = context() if callable(context) else context
        values = {**(extra or {}), "body": body, "csrf_token": token}
        return render_to_string(template, values, request=request)

    return page(request, name, build, variant=variant, slots=slots, until=until)


def _fill(request, html: str, slots: Slots | None) -> SafeString:
    for name, piece in (slots or {}).items():
        if isinstance(piece, Kept):
            value = kept(request.user.pk, name, piece.compute, seconds=piece.seconds)
        else:
            value = str(piece())
        html = html.replace(slot(name), value, 1)
    return mark_safe(html)  # noqa: S308 - rendered templates, and the token's letters
