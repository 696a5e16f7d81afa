"""Remotive remote-jobs API (`jobs[]`); its salary is free text ("$90k - $105k")."""

from __future__ import annotations

from typing import Any

from importer.boards.common import label_workplace, listed, safe_slug
from importer.boards.registry import Api, register_board
from importer.extract import values
from importer.posting import Posting

SOURCE = "remotive"

HOSTS = ("remotive.com", "www.remotive.com", "remotive.io", "www.remotive.io")
API = Api("IMPORTER_REMOTIVE_API", "https://remotive.com", "/api/remote-jobs")


def match(host: str, path: list[str], query: dict[str, str]):
    """remotive.com/remote-jobs/software-dev/senior-python-engineer-1234567."""
    if len(path) != 3 or path[0] != "remote-jobs" or not safe_slug(path[2]):
        return None
    job_id = path[2].rsplit("-", 1)[-1]
    if not job_id.isdigit():
        return None
    return "", job_id, [API.url()]


def items(data: Any) -> list[dict]:
    return listed(data, "jobs")


def to_posting(job: dict, ref) -> Posting:
    location = values.text(job.get("candidate_required_location"))
    low, high, currency, unit = values.salary_from_text(values.text(job.get("salary")))
    return Posting(
        title=values.text(job.get("title")),
        company=values.text(job.get("company_name")),
        location=location,
        **label_workplace(location),
        employment_type=values.text(job.get("job_type")),
        salary_min=low,
        salary_max=high,
        salary_currency=currency,
        salary_interval=unit,
        date_posted=values.to_date(job.get("publication_date")),
        url=values.web_url(job.get("url")) or (ref.url if ref else ""),
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
