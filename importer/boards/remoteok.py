"""Remote OK API: a top-level array whose first element is the API's legal notice."""

from __future__ import annotations

from typing import Any

from importer.boards.common import label_workplace, listed, safe_slug
from importer.boards.registry import Api, register_board
from importer.extract import values
from importer.posting import Posting

SOURCE = "remoteok"

HOSTS = ("remoteok.com", "www.remoteok.com", "remoteok.io", "www.remoteok.io")
API = Api("IMPORTER_REMOTEOK_API", "https://remoteok.com", "/api")


def match(host: str, path: list[str], query: dict[str, str]):
    """remoteok.com/remote-jobs/remote-backend-engineer-acme-1093211: the id ends the slug."""
    if len(path) != 2 or path[0] != "remote-jobs" or not safe_slug(path[1]):
        return None
    job_id = path[1].rsplit("-", 1)[-1]
    if not job_id.isdigit():
        return None
    return "", job_id, [API.url()]


def items(data: Any) -> list[dict]:
    # Postings have a position; the legal notice has none.
    return [item for item in listed(data) if "position" in item or "legal" not in item]


def to_posting(job: dict, ref) -> Posting:
    location = values.text(job.get("location"))
    # 0/0 is how Remote OK writes "no salary shown"; values.to_decimal reads zero as none.
    low, high = values.to_decimal(job.get("salary_min")), values.to_decimal(job.get("salary_max"))
    return Posting(
        title=values.text(job.get("position")),
        company=values.text(job.get("company")),
        location=location,
        **label_workplace(location),
        salary_min=low,
        salary_max=high,
        date_posted=values.to_date(job.get("date") or job.get("epoch")),
        url=values.web_url(job.get("url")) or (ref.url if ref else ""),
        apply_url=values.web_url(job.get("apply_url")),
        description=values.description(job.get("description"), unescape=False),
        source=SOURCE,
        board_id=values.text(job.get("id")),
    )


register_board(
    SOURCE,
    hosts=HOSTS,
    match=match,
    id_pattern=r"[0-9]{1,20}",
    lists_whole_board=True,
    page_fallback=True,
    items=items,
    to_posting=to_posting,
)
