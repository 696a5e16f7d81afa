"""Himalayas remote-jobs API (`jobs[]`)."""

from __future__ import annotations

from typing import Any

from importer.boards.common import label_workplace, listed, safe_slug
from importer.boards.registry import Api, register_board
from importer.extract import values
from importer.posting import Posting

SOURCE = "himalayas"

HOSTS = ("himalayas.app", "www.himalayas.app")
API = Api("IMPORTER_HIMALAYAS_API", "https://himalayas.app", "/jobs/api?limit=100")


def match(host: str, path: list[str], query: dict[str, str]):
    """himalayas.app/companies/acme/jobs/backend-engineer: the API's id (`guid`) is that
    address itself."""
    if len(path) != 4 or path[0] != "companies" or path[2] != "jobs":
        return None
    if not (safe_slug(path[1]) and safe_slug(path[3])):
        return None
    guid = f"https://himalayas.app/companies/{path[1]}/jobs/{path[3]}"
    return path[1], guid, [API.url()]


def items(data: Any) -> list[dict]:
    return listed(data, "jobs")


def to_posting(job: dict, ref) -> Posting:
    location = values.text_list(job.get("locationRestrictions"))
    low, high = values.to_decimal(job.get("minSalary")), values.to_decimal(job.get("maxSalary"))
    has_salary = low is not None or high is not None
    url = values.web_url(job.get("applicationLink")) or values.web_url(job.get("guid"))
    return Posting(
        title=values.text(job.get("title")),
        company=values.text(job.get("companyName")),
        location=location,
        # Every Himalayas job is remote, but the posting does not say so: a label could.
        **label_workplace(location),
        employment_type=values.text(job.get("employmentType")),
        salary_min=low,
        salary_max=high,
        salary_currency=values.text(job.get("currency")) if has_salary else "",
        salary_interval=values.interval(job.get("salaryPeriod")) if has_salary else "",
        date_posted=values.to_date(job.get("pubDate")),
        valid_through=values.to_date(job.get("expiryDate")),
        url=url or (ref.url if ref else ""),
        description=values.description(job.get("description"), unescape=False),
        source=SOURCE,
        board_id=values.text(job.get("guid")),
    )


register_board(
    SOURCE,
    hosts=HOSTS,
    match=match,
    id_pattern=r"https://himalayas\.app/companies/[A-Za-z0-9_-]+/jobs/[A-Za-z0-9_-]+",
    lists_whole_board=True,
    page_fallback=True,
    items=items,
    to_posting=to_posting,
)
