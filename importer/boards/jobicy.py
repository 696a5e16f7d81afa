"""Jobicy remote-jobs API (`jobs[]`)."""

from __future__ import annotations

from typing import Any

from importer.boards.common import label_workplace, listed, safe_slug
from importer.boards.registry import Api, register_board
from importer.extract import values
from importer.posting import Posting

SOURCE = "jobicy"

HOSTS = ("jobicy.com", "www.jobicy.com")
API = Api("IMPORTER_JOBICY_API", "https://jobicy.com", "/api/v2/remote-jobs?count=100")


def match(host: str, path: list[str], query: dict[str, str]):
    """jobicy.com/jobs/123456-senior-backend-engineer: the id starts the slug."""
    if len(path) != 2 or path[0] != "jobs" or not safe_slug(path[1]):
        return None
    job_id = path[1].split("-", 1)[0]
    if not job_id.isdigit():
        return None
    return "", job_id, [API.url()]


def items(data: Any) -> list[dict]:
    return listed(data, "jobs")


def to_posting(job: dict, ref) -> Posting:
    location = values.text(job.get("jobGeo"))
    low, high = values.to_decimal(job.get("salaryMin")), values.to_decimal(job.get("salaryMax"))
    period = job.get("salaryPeriod")
    if low is None and high is None:
        # Earlier versions of the API: yearly amounts only.
        low = values.to_decimal(job.get("annualSalaryMin"))
        high = values.to_decimal(job.get("annualSalaryMax"))
        period = "year"
    has_salary = low is not None or high is not None
    return Posting(
        title=values.text(job.get("jobTitle")),
        company=values.text(job.get("companyName")),
        location=location,
        **label_workplace(location),
        employment_type=values.text_list(job.get("jobType")),
        salary_min=low,
        salary_max=high,
        salary_currency=values.text(job.get("salaryCurrency")) if has_salary else "",
        salary_interval=values.interval(period) if has_salary else "",
        date_posted=values.to_date(job.get("pubDate")),
        url=values.web_url(job.get("url")) or (ref.url if ref else ""),
        description=values.description(job.get("jobDescription"), unescape=False),
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
