"""The one list of ATSs and job boards the importer reads through their public APIs.

A board is one module in this package. It registers itself with `register_board(...)`:

- its name (what `Posting.source` and the job's `board` say: "greenhouse");
- the hosts whose links it claims ("jobs.lever.co", or ".myworkdayjobs.com" for any
  subdomain), and how a link on them becomes an API call: either `links` (path patterns
  such as "/{board}/jobs/{id}", with `id_pattern` for the id and `api` for the URL to call)
  or, when a link needs more thought, its own `match(host, path, query)`;
- its API reader: `items(data)` (the posting objects of a response) and
  `to_posting(item, ref)` (one of them as a Posting).

`importer.boards` imports every module of the package (pkgutil), so adding an ATS is one new
file and its tests: no list to edit, no setting required (an API base is read from the named
setting when there is one, else the module's default), no migration (the job's `board` is a
plain string). A module written in the older style (module-level SOURCE, match, items,
to_posting, HOSTS, LISTS_WHOLE_BOARD) is registered from those names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any
from urllib.parse import quote

from django.conf import settings

from importer.posting import Posting

# (board or company slug, the posting's id on the board, API URLs to try in turn)
Match = tuple[str, str, list[str]]
Matcher = Callable[[str, list[str], dict[str, str]], "Match | None"]
NAME = re.compile(r"[a-z0-9_]{1,32}")
MAX_SEGMENT = 200


@dataclass(frozen=True)
class Api:
    """An API base URL (read from `setting` when the project defines it, else `default`) and
    the path to call for one posting, with {board} and {id} (and the base's own slots)."""

    setting: str
    default: str = ""
    path: str = ""

    def base(self, **slots: str) -> str:
        base = getattr(settings, self.setting, None) or self.default
        if not base:
            raise LookupError(f"no API base: set {self.setting}")
        return base.format(**{k: quote(v, safe="") for k, v in slots.items()}).rstrip("/")

    def url(self, **slots: str) -> str:
        quoted = {k: quote(v, safe="") for k, v in slots.items()}
        return self.base(**slots) + self.path.format(**quoted)


@dataclass(frozen=True)
class Board:
    name: str
    items: Callable[[Any], list[dict]]
    to_posting: Callable[[dict, Any], Posting | None]
    hosts: tuple[str, ...] = ()
    match: Matcher | None = None
    links: tuple[str, ...] = ()
    id_pattern: str = r"[A-Za-z0-9_-]{1,100}"
    api: Api | None = None
    # Its links may sit on any site (a careers page embedding the board): tried after the
    # boards that claim the link's host.
    any_host: bool = False
    # The API answers with the whole board, not the one posting: the posting must be in it.
    lists_whole_board: bool = False
    # When its API does not have the posting (a list of recent postings only), the link's own
    # page is read instead.
    page_fallback: bool = False
    _id: re.Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_id", re.compile(self.id_pattern))

    def claims(self, host: str) -> bool:
        return any(host == h or (h.startswith(".") and host.endswith(h)) for h in self.hosts)

    def valid_id(self, value: str) -> bool:
        return len(value) <= MAX_SEGMENT and self._id.fullmatch(value) is not None

    def read_link(self, host: str, path: list[str], query: dict[str, str]) -> Match | None:
        """(board slug, posting id, API URLs) for a link this board reads, else None."""
        if self.match is not None:
            found = self.match(host, path, query)
            return found if found and self.valid_id(found[1]) else None
        for pattern in self.links:
            found = _match_path(pattern, path)
            if found is None:
                continue
            board, job_id = found.get("board", ""), found.get("id", "")
            if not self.valid_id(job_id) or (board and not safe_slug(board)):
                continue
            if self.api is None:
                return None
            return board, job_id, [self.api.url(board=board, id=job_id)]
        return None


def _match_path(pattern: str, path: list[str]) -> dict[str, str] | None:
    """{"board": ..., "id": ...} when `path` has the pattern's segments (more may follow)."""
    wanted = [segment for segment in pattern.split("/") if segment]
    if len(path) < len(wanted):
        return None
    slots = {}
    for want, got in zip(wanted, path, strict=False):
        if len(got) > MAX_SEGMENT:
            return None
        if want.startswith("{") and want.endswith("}"):
            slots[want[1:-1]] = got
        elif want != got:
            return None
    return slots


def safe_slug(value: str) -> bool:
    """A board, company or tenant slug as it may appear in a host name or a path segment."""
    return bool(value) and len(value) <= 100 and all(c.isalnum() or c in "-_" for c in value)


BOARDS: dict[str, Board] = {}


def register_board(
    name: str,
    *,
    items: Callable[[Any], list[dict]],
    to_posting: Callable[[dict, Any], Posting | None],
    hosts: Iterable[str] = (),
    match: Matcher | None = None,
    links: Iterable[str] = (),
    id_pattern: str = r"[A-Za-z0-9_-]{1,100}",
    api: Api | None = None,
    any_host: bool = False,
    lists_whole_board: bool = False,
    page_fallback: bool = False,
) -> Board:
    """Add a board (or replace the one of that name). Returns it."""
    if not NAME.fullmatch(name):
        raise ValueError(f"a board's name is 1 to 32 lowercase letters, digits or _: {name!r}")
    board = Board(
        name=name,
        items=items,
        to_posting=to_posting,
        hosts=tuple(h.lower() for h in hosts),
        match=match,
        links=tuple(links),
        id_pattern=id_pattern,
        api=api,
        any_host=any_host,
        lists_whole_board=lists_whole_board,
        page_fallback=page_fallback,
    )
    BOARDS[name] = board
    return board


def unregister_board(name: str) -> None:
    BOARDS.pop(name, None)


def register_module(module: ModuleType) -> Board | None:
    """Register a module written with module-level names instead of a register_board call."""
    name = getattr(module, "SOURCE", None)
    if not isinstance(name, str) or name in BOARDS:
        return BOARDS.get(name) if isinstance(name, str) else None
    if not (
        callable(getattr(module, "items", None)) and callable(getattr(module, "to_posting", None))
    ):
        return None
    hosts = getattr(module, "HOSTS", ())
    return register_board(
        name,
        items=module.items,
        to_posting=module.to_posting,
        hosts=tuple(hosts),
        match=getattr(module, "match", None),
        # Without hosts to claim, its own match decides on any link.
        any_host=not hosts and callable(getattr(module, "match", None)),
        lists_whole_board=bool(getattr(module, "LISTS_WHOLE_BOARD", False)),
    )
