"""Arbeitnow job-board API (`data[]`)."""

from __future__ import annotations

from typing import Any

from importer.boards.common import label_workplace, listed, safe_slug
from importer.boards.registry import Api, register_board
from importer.extract import values
from importer.posting import Posting

SOURCE = "arbeitnow"

HOSTS = ("arbeitnow.com", "www.arbeitnow.com")
API = Api("IMPORTER_ARBEITNOW_API", "https://www.arbeitnow.com", "/api/job-board-api")


def match(host: str, path: list[str], query: dict[str, str]):
    """arbeitnow.com/jobs/companies/acme-gmbh/backend-engineer-acme-gmbh-12345 (or /view/...):
    the last segment is the posting's slug, its id on the board."""
    if (
        len(path) == 4
        and path[:2] == ["jobs", "companies"]
        or len(path) == 2
        and path[0]
        in (
            "view",
            "jobs",
        )
    ):
        slug = path[-1]
        if safe_slug(slug):
            return "", slug, [API.url()]
    return None


def items(data: Any) -> list[dict]:
    return listed(data, "data")


def to_posting(job: dict, ref) -> Posting:
    location = values.text(job.get("location"))
    return Posting(
        title=values.text(job.get("title")),
        company=values.text(job.get("company_name")),
        location=location,
        **label_workplace(location, job.get("remote")),
        employment_type=values.text_list(job.get("job_types")),
        date_posted=values.to_date(job.get("created_at")),
        url=values.web_url(job.get("url")) or (ref.url if ref else ""),
        # HTML given as escaped text: one unescape pass.
        description=values.description(job.get("description")),
        source=SOURCE,
        board_id=values.text(job.get("slug")),
    )


register_board(
    SOURCE,
    hosts=HOSTS,
    match=match,
    lists_whole_board=True,
    page_fallback=True,
    items=items,
    to_posting=to_posting,
)
