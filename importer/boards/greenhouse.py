"""Greenhouse job-board API: boards-api.greenhouse.io/v1/boards/{board}/jobs/{id}."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from importer.boards.common import api, label_workplace, listed, safe_slug
from importer.boards.registry import register_board
from importer.extract import values
from importer.posting import Posting

SOURCE = "greenhouse"
HOSTS = ("boards.greenhouse.io", "job-boards.greenhouse.io")


def match(host: str, path: list[str], query: dict[str, str]):
    job_id = query.get("gh_jid") or query.get("token") or ""
    if host in HOSTS:
        if len(path) >= 3 and path[1] == "jobs" and path[2].isdigit():
            return _ref(path[0], path[2])
        if path and path[0] == "embed":
            return _ref(query.get("for", ""), job_id)
        if len(path) == 1 and job_id:
            return _ref(path[0], job_id)
        return None
    if query.get("gh_jid", "").isdigit():
        # A company's own careers page with an embedded Greenhouse board: the board is named
        # by `for=`, else guessed from the path, then from the site's name.
        hints = [query.get("for", "")]
        hints += [segment for segment in path if not segment.isdigit()][:1]
        hints.append(host.removeprefix("www.").split(".")[0])
        boards = [h.lower() for h in dict.fromkeys(hints) if safe_slug(h)]
        if boards:
            urls = [_job_api(board, job_id) for board in boards]
            return boards[0], job_id, urls
    return None


def _ref(board: str, job_id: str):
    if safe_slug(board) and job_id.isdigit():
        return board, job_id, [_job_api(board, job_id)]
    return None


def _job_api(board: str, job_id: str) -> str:
    return api("IMPORTER_GREENHOUSE_API", f"/v1/boards/{board}/jobs/{job_id}?pay_transparency=true")


def items(data: Any) -> list[dict]:
    return listed(data, "jobs")


def to_posting(job: dict, ref) -> Posting:
    location = values.text(job.get("location"))
    low, high, currency = _pay(job.get("pay_input_ranges"))
    return Posting(
        title=values.text(job.get("title")),
        company=values.text(job.get("company_name")),
        location=location,
        **label_workplace(location),
        salary_min=low,
        salary_max=high,
        salary_currency=currency,
        date_posted=values.to_date(job.get("first_published")),
        valid_through=values.to_date(job.get("application_deadline")),
        url=values.web_url(job.get("absolute_url")) or (ref.url if ref else ""),
        description=values.description(job.get("content")),
        source=SOURCE,
        board_id=values.text(job.get("id")),
    )


def _pay(ranges: Any) -> tuple[Decimal | None, Decimal | None, str]:
    """The first pay range; Greenhouse gives it in cents."""
    if not isinstance(ranges, list) or not ranges or not isinstance(ranges[0], dict):
        return None, None, ""
    first = ranges[0]
    low, high = values.to_decimal(first.get("min_cents")), values.to_decimal(first.get("max_cents"))
    low = (low / 100).normalize() if low is not None else None
    high = (high / 100).normalize() if high is not None else None
    if low is None and high is None:
        return None, None, ""
    return low, high, values.text(first.get("currency_type"))


register_board(
    SOURCE,
    hosts=HOSTS,
    match=match,
    any_host=True,  # a careers page embedding the board: ?gh_jid=
    id_pattern=r"[0-9]{1,20}",
    items=items,
    to_posting=to_posting,
)
