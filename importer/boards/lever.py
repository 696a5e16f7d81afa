"""Lever postings API: api.lever.co/v0/postings/{company}/{id} (EU: api.eu.lever.co)."""

from __future__ import annotations

import html
from typing import Any

from importer.boards.common import api, label_workplace, listed, safe_slug
from importer.boards.registry import register_board
from importer.extract import values
from importer.posting import Posting

SOURCE = "lever"
HOSTS = {"jobs.lever.co": "IMPORTER_LEVER_API", "jobs.eu.lever.co": "IMPORTER_LEVER_EU_API"}
_WORKPLACES = {"remote": "remote", "hybrid": "hybrid", "on-site": "onsite", "onsite": "onsite"}


def match(host: str, path: list[str], query: dict[str, str]):
    setting = HOSTS.get(host)
    if not setting or len(path) < 2 or not safe_slug(path[0]) or not _is_uuid(path[1]):
        return None
    company, job_id = path[0], path[1].lower()
    return company, job_id, [api(setting, f"/v0/postings/{company}/{job_id}?mode=json")]


def _is_uuid(value: str) -> bool:
    return len(value) == 36 and all(c in "0123456789abcdefABCDEF-" for c in value)


def items(data: Any) -> list[dict]:
    return listed(data, "data", "postings")


def to_posting(job: dict, ref) -> Posting:
    categories = job.get("categories") if isinstance(job.get("categories"), dict) else {}
    location = values.text(categories.get("location"))
    workplace = _WORKPLACES.get(values.text(job.get("workplaceType")).lower())
    pay = job.get("salaryRange") if isinstance(job.get("salaryRange"), dict) else {}
    low, high = values.to_decimal(pay.get("min")), values.to_decimal(pay.get("max"))
    description = "".join(
        values.text(part)
        for part in (job.get("description") or job.get("descriptionBody"), *_lists(job))
    )
    return Posting(
        title=values.text(job.get("text")),
        location=location,
        **(
            {"workplace": workplace, "remote": values.remote_for(workplace)}
            if workplace
            else label_workplace(location)
        ),
        employment_type=values.text(categories.get("commitment")),
        salary_min=low,
        salary_max=high,
        salary_currency=values.text(pay.get("currency")) if low or high else "",
        salary_interval=values.interval(pay.get("interval")) if low or high else "",
        date_posted=values.to_date(job.get("createdAt")),
        url=values.web_url(job.get("hostedUrl")) or (ref.url if ref else ""),
        apply_url=values.web_url(job.get("applyUrl")),
        description=values.description(description, unescape=False),
        source=SOURCE,
        board_id=values.text(job.get("id")),
    )


def _lists(job: dict) -> list[str]:
    parts = []
    for section in job.get("lists") or []:
        if isinstance(section, dict):
            parts.append(f"<h3>{html.escape(values.text(section.get('text')))}</h3>")
            parts.append(f"<ul>{values.text(section.get('content'))}</ul>")
    if job.get("additional"):
        parts.append(values.text(job.get("additional")))
    return parts


register_board(
    SOURCE,
    hosts=tuple(HOSTS),
    match=match,
    id_pattern=r"[0-9a-f-]{36}",
    items=items,
    to_posting=to_posting,
)
