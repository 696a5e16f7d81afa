"""Ashby posting API: api.ashbyhq.com/posting-api/job-board/{org}. It has no single-job
endpoint, so the whole board is read and the posting matched by its id."""

from __future__ import annotations

from typing import Any

from importer.boards.common import api, label_workplace, listed, safe_slug
from importer.boards.registry import register_board
from importer.extract import values
from importer.posting import Posting

SOURCE = "ashby"
LISTS_WHOLE_BOARD = True
_WORKPLACES = {"remote": "remote", "hybrid": "hybrid", "onsite": "onsite", "on-site": "onsite"}


def match(host: str, path: list[str], query: dict[str, str]):
    if host != "jobs.ashbyhq.com" or len(path) < 2 or not safe_slug(path[0]):
        return None
    org, job_id = path[0], path[1].lower()
    if len(job_id) != 36:
        return None
    return (
        org,
        job_id,
        [api("IMPORTER_ASHBY_API", f"/posting-api/job-board/{org}?includeCompensation=true")],
    )


def items(data: Any) -> list[dict]:
    return listed(data, "jobs")


def to_posting(job: dict, ref) -> Posting:
    location = values.text(job.get("location"))
    workplace = _WORKPLACES.get(values.text(job.get("workplaceType")).lower())
    remote = job.get("isRemote")
    if remote is True or not workplace:
        fields = label_workplace(location, remote if isinstance(remote, bool) else None)
    else:
        fields = values.workplace_fields(workplace)
    low, high, currency, unit = _salary(job.get("compensation"))
    return Posting(
        title=values.text(job.get("title")),
        location=location,
        **fields,
        employment_type=values.text(job.get("employmentType")),
        salary_min=low,
        salary_max=high,
        salary_currency=currency,
        salary_interval=unit,
        date_posted=values.to_date(job.get("publishedAt")),
        url=values.web_url(job.get("jobUrl")) or (ref.url if ref else ""),
        apply_url=values.web_url(job.get("applyUrl")),
        description=values.description(job.get("descriptionHtml"), unescape=False),
        source=SOURCE,
        board_id=values.text(job.get("id")).lower(),
    )


def _salary(compensation: Any) -> tuple:
    if not isinstance(compensation, dict):
        return None, None, "", ""
    for component in compensation.get("summaryComponents") or []:
        if not isinstance(component, dict):
            continue
        if values.text(component.get("compensationType")).lower() != "salary":
            continue
        low = values.to_decimal(component.get("minValue"))
        high = values.to_decimal(component.get("maxValue"))
        if low is None and high is None:
            continue
        return (
            low,
            high,
            values.text(component.get("currencyCode")),
            values.interval(component.get("interval")),
        )
    return None, None, "", ""


register_board(
    SOURCE,
    hosts=("jobs.ashbyhq.com",),
    match=match,
    id_pattern=r"[0-9a-z-]{36}",
    lists_whole_board=LISTS_WHOLE_BOARD,
    items=items,
    to_posting=to_posting,
)
