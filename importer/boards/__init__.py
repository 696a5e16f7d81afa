"""Known ATSs and job boards, read through their public JSON APIs instead of their pages.

`board_for_url` tells which API answers for a posting's link; the caller fetches it and hands the
JSON to `parse`, which maps it onto `Posting` values through the board's adapter. Every API base
URL is a setting (IMPORTER_*_API), so the hosts called are exactly those configured.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from importer.boards import (
    arbeitnow,
    ashby,
    greenhouse,
    himalayas,
    jobicy,
    lever,
    recruitee,
    remoteok,
    remotive,
    smartrecruiters,
    workable,
    workday,
)
from importer.posting import Posting

__all__ = ["ADAPTERS", "BoardRef", "UnknownSource", "board_for_url", "parse"]


@dataclass(frozen=True)
class BoardRef:
    source: str  # the adapter's name, as in Posting.source
    board: str  # the company's slug on the board
    job_id: str  # the board's id of the posting, matched in list responses
    api_urls: tuple[str, ...]  # GET each in turn until one answers with JSON
    url: str = ""  # the link as the user gave it

    @property
    def api_url(self) -> str:
        return self.api_urls[0]


ADAPTERS = {
    module.SOURCE: module
    for module in (
        greenhouse,
        lever,
        ashby,
        smartrecruiters,
        recruitee,
        workable,
        workday,
        arbeitnow,
        himalayas,
        remotive,
        remoteok,
        jobicy,
    )
}
# The ATSs whose links are recognised, in the order they are tried.
LINKED = (greenhouse, lever, ashby, smartrecruiters, recruitee, workable, workday)


class UnknownSource(ValueError):
    pass


def board_for_url(url: str) -> BoardRef | None:
    """The API to call for a posting's link, or None for any other page."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not host:
        return None
    path = [segment for segment in parts.path.split("/") if segment]
    query = {key: values[0] for key, values in parse_qs(parts.query).items() if values}
    for adapter in LINKED:
        found = adapter.match(host, path, query)
        if found:
            board, job_id, api_urls = found
            return BoardRef(
                source=adapter.SOURCE,
                board=board,
                job_id=job_id,
                api_urls=tuple(api_urls),
                url=url.strip(),
            )
    return None


def parse(source: str, data: Any, *, ref: BoardRef | None = None) -> list[Posting]:
    """The postings in one API response of the named board. With a `ref`, only the posting it
    points to (boards without a single-job endpoint answer with the whole list)."""
    adapter = ADAPTERS.get(source)
    if adapter is None:
        raise UnknownSource(f"unknown board {source!r}; known: {', '.join(sorted(ADAPTERS))}")
    postings = [p for p in (adapter.to_posting(item, ref) for item in adapter.items(data)) if p]
    postings = [p for p in postings if p.title]
    if ref is not None and ref.job_id:
        matching = [p for p in postings if p.board_id == ref.job_id]
        # A single-job endpoint's one answer is the posting even when its id is spelled
        # differently; a whole board's list must name it.
        single = len(postings) == 1 and not getattr(adapter, "LISTS_WHOLE_BOARD", False)
        postings = matching or (postings if single else [])
    return postings
