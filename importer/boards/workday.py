"""Workday's public CXS API, behind the career sites at {tenant}.wd{N}.myworkdayjobs.com:
`/wday/cxs/{tenant}/{site}/job/...` for one posting, `/jobs` for the search list."""

from __future__ import annotations

import re
from typing import Any

from importer.boards.common import api, label_workplace, safe_slug
from importer.boards.registry import register_board
from importer.extract import values
from importer.posting import Posting

SOURCE = "workday"
_HOST = re.compile(r"^([a-z0-9-]+)\.(wd\d{1,3})\.myworkdayjobs\.com$")
_LOCALE = re.compile(r"^[a-z]{2}(-[A-Za-z]{2})?$")
# "2 Locations" is a count, not a place.
_REMOTE_TYPES = {"remote": "remote", "hybrid": "hybrid", "on site": "onsite", "onsite": "onsite"}
_COUNT = re.compile(r"^\d+\s+locations?$", re.IGNORECASE)


def match(host: str, path: list[str], query: dict[str, str]):
    found = _HOST.match(host)
    if not found:
        return None
    tenant, wd = found.groups()
    if path and _LOCALE.match(path[0]):
        path = path[1:]
    if len(path) < 3 or path[1] not in ("job", "details") or not safe_slug(path[0]):
        return None
    site, rest = path[0], path[2:]
    if not all(safe_slug(segment) for segment in rest):
        return None
    job_id = rest[-1].rsplit("_", 1)[-1]
    url = api("IMPORTER_WORKDAY_API", "/job/" + "/".join(rest), tenant=tenant, wd=wd, site=site)
    return tenant, job_id, [url]


def items(data: Any) -> list[dict]:
    if not isinstance(data, dict):
        return []
    info = data.get("jobPostingInfo")
    if isinstance(info, dict):
        organisation = data.get("hiringOrganization")
        company = values.text(organisation.get("name")) if isinstance(organisation, dict) else ""
        return [{**info, "_company": company}]
    return [job for job in data.get("jobPostings") or [] if isinstance(job, dict)]


def to_posting(job: dict, ref) -> Posting:
    location = values.text(job.get("location")) or values.text(job.get("locationsText"))
    if _COUNT.match(location):
        location = ""
    remote_type = _REMOTE_TYPES.get(values.text(job.get("remoteType")).lower().replace("-", " "))
    bullets = job.get("bulletFields")
    board_id = values.text(job.get("jobReqId")) or (values.text(bullets) if bullets else "")
    url = values.web_url(job.get("externalUrl")) or (ref.url if ref else "")
    return Posting(
        title=values.text(job.get("title")),
        company=values.text(job.get("_company")),
        location=location,
        **(values.workplace_fields(remote_type) if remote_type else label_workplace(location)),
        employment_type=values.text(job.get("timeType")),
        # `postedOn` is relative ("Posted 30+ Days Ago"); `startDate` is the date itself.
        date_posted=values.to_date(job.get("startDate")),
        valid_through=values.to_date(job.get("endDate")),
        url=url,
        description=values.description(job.get("jobDescription"), unescape=False),
        source=SOURCE,
        board_id=board_id,
    )


register_board(
    SOURCE, hosts=(".myworkdayjobs.com",), match=match, items=items, to_posting=to_posting
)
