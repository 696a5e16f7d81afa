"""Known ATSs and job boards, read through their public JSON APIs instead of their pages.

Each board is one module of this package and registers itself (see `registry`); this package
imports them all. `board_for_url` tells which API answers for a posting's link; the caller
fetches it and hands the JSON to `parse`, which maps it onto `Posting` values through the
board's reader.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from importer.boards.registry import BOARDS, Api, Board, register_board, register_module
from importer.posting import Posting

__all__ = [
    "ADAPTERS",
    "Api",
    "Board",
    "BoardRef",
    "UnknownSource",
    "board_for_url",
    "discover",
    "is_board",
    "parse",
    "register_board",
]

# Modules of this package that are not boards.
_HELPERS = frozenset({"common", "registry"})
# Every registered board by name (the registry's own dict, kept under its older name).
ADAPTERS = BOARDS


@dataclass(frozen=True)
class BoardRef:
    source: str  # the board's name, as in Posting.source
    board: str  # the company's slug on the board
    job_id: str  # the board's id of the posting, matched in list responses
    api_urls: tuple[str, ...]  # GET each in turn until one answers with JSON
    url: str = ""  # the link as the user gave it

    @property
    def api_url(self) -> str:
        return self.api_urls[0]


class UnknownSource(ValueError):
    pass


def discover() -> None:
    """Import every board module of the package not imported yet; each registers itself."""
    for module_info in pkgutil.iter_modules(__path__):
        if module_info.name in _HELPERS or module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        register_module(module)


def is_board(name: str) -> bool:
    discover()
    return name in BOARDS


def board_for_url(url: str) -> BoardRef | None:
    """The API to call for a posting's link, or None for any other page."""
    discover()
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not host:
        return None
    path = [segment for segment in parts.path.split("/") if segment]
    query = {key: values[0] for key, values in parse_qs(parts.query).items() if values}
    for board in _boards_for_host(host):
        found = board.read_link(host, path, query)
        if found:
            slug, job_id, api_urls = found
            return BoardRef(
                source=board.name,
                board=slug,
                job_id=job_id,
                api_urls=tuple(api_urls),
                url=url.strip(),
            )
    return None


def _boards_for_host(host: str) -> list[Board]:
    """The boards to try for a link on `host`: those claiming it, then those on any host."""
    ordered = sorted(BOARDS.values(), key=lambda b: b.name)
    claiming = [b for b in ordered if b.claims(host)]
    return claiming + [b for b in ordered if b.any_host and b not in claiming]


def lists_whole_board(name: str) -> bool:
    board = BOARDS.get(name)
    return board is not None and board.lists_whole_board


def parse(source: str, data: Any, *, ref: BoardRef | None = None) -> list[Posting]:
    """The postings in one API response of the named board. With a `ref`, only the posting it
    points to (boards without a single-job endpoint answer with the whole list)."""
    discover()
    board = BOARDS.get(source)
    if board is None:
        raise UnknownSource(f"unknown board {source!r}; known: {', '.join(sorted(BOARDS))}")
    postings = [p for p in (board.to_posting(item, ref) for item in board.items(data)) if p]
    postings = [p for p in postings if p.title]
    if ref is not None and ref.job_id:
        matching = [p for p in postings if p.board_id == ref.job_id]
        # A single-job endpoint's one answer is the posting even when its id is spelled
        # differently; a whole board's list must name it.
        single = len(postings) == 1 and not board.lists_whole_board
        postings = matching or (postings if single else [])
    return postings


discover()
