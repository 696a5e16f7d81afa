"""Workable: apply.workable.com/api/v2/accounts/{account}/jobs/{shortcode}; the account widget
(`/api/v1/widget/accounts/{account}`) lists jobs with the company's name."""

from __future__ import annotations

from typing import Any

from importer.boards.common import api, label_workplace, listed, safe_slug
from importer.boards.registry import register_board
from importer.extract import values
from importer.posting import Posting

SOURCE = "workable"
_WORKPLACES = {"remote": "remote", "hybrid": "hybrid", "on_site": "onsite", "onsite": "onsite"}


def match(host: str, path: list[str], query: dict[str, str]):
    if host != "apply.workable.com" or len(path) < 3 or path[1] != "j":
        return None
    account, shortcode = path[0], path[2].upper()
    if not safe_slug(account) or not safe_slug(shortcode):
        return None
    return (
        account,
        shortcode,
        [api("IMPORTER_WORKABLE_API", f"/v2/accounts/{account}/jobs/{shortcode}")],
    )


def items(data: Any) -> list[dict]:
    jobs = listed(data, "jobs", "results")
    if isinstance(data, dict) and isinstance(data.get("jobs"), list) and data.get("name"):
        jobs = [{**job, "_company": data["name"]} for job in jobs]
    return jobs


def to_posting(job: dict, ref) -> Posting:
    location = _location(job)
    workplace = _WORKPLACES.get(values.text(job.get("workplace")).lower())
    remote = job.get("remote", job.get("telecommuting"))
    if workplace:
        fields = values.workplace_fields(workplace)
    else:
        fields = label_workplace(location, remote if isinstance(remote, bool) else None)
    description = "".join(
        values.text(job.get(key)) for key in ("description", "requirements", "benefits")
    )
    shortcode = values.text(job.get("shortcode"))
    return Posting(
        title=values.text(job.get("title")),
        company=values.text(job.get("_company")),
        location=location,
        **fields,
        employment_type=values.text(job.get("type") or job.get("employment_type")),
        date_posted=values.to_date(job.get("published") or job.get("published_on")),
        url=values.web_url(job.get("url") or job.get("shortlink")) or (ref.url if ref else ""),
        apply_url=values.web_url(job.get("application_url")),
        description=values.description(description, unescape=False),
        source=SOURCE,
        board_id=shortcode.upper(),
    )


def _location(job: dict) -> str:
    place = job.get("location")
    if isinstance(place, dict):
        parts = [values.text(place.get(key)) for key in ("city", "region", "country")]
    else:
        parts = [values.text(job.get(key)) for key in ("city", "state", "country")]
    return ", ".join(part for part in parts if part)


register_board(
    SOURCE, hosts=("apply.workable.com",), match=match, items=items, to_posting=to_posting
)
