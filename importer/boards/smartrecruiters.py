"""SmartRecruiters postings API: api.smartrecruiters.com/v1/companies/{company}/postings/{id}."""

from __future__ import annotations

from typing import Any

from importer.boards.common import api, label_workplace, listed, safe_slug
from importer.boards.registry import register_board
from importer.extract import values
from importer.posting import Posting

SOURCE = "smartrecruiters"
HOSTS = ("jobs.smartrecruiters.com", "careers.smartrecruiters.com")


def match(host: str, path: list[str], query: dict[str, str]):
    if host not in HOSTS or len(path) < 2 or not safe_slug(path[0]):
        return None
    company = path[0]
    job_id = path[1].split("-", 1)[0]
    if not job_id.isdigit():
        return None
    return (
        company,
        job_id,
        [api("IMPORTER_SMARTRECRUITERS_API", f"/v1/companies/{company}/postings/{job_id}")],
    )


def items(data: Any) -> list[dict]:
    return listed(data, "content")


def to_posting(job: dict, ref) -> Posting:
    place = job.get("location") if isinstance(job.get("location"), dict) else {}
    location = values.text(place.get("fullLocation")) or ", ".join(
        part
        for part in (values.text(place.get(key)) for key in ("city", "region", "country"))
        if part
    )
    employment = job.get("typeOfEmployment")
    company = job.get("company")
    # Only the posting's public page counts as its URL: `ref` is an API address.
    url = values.web_url(job.get("postingUrl")) or (ref.url if ref else "")
    return Posting(
        title=values.text(job.get("name")),
        company=values.text(company.get("name")) if isinstance(company, dict) else "",
        location=location,
        **label_workplace(location, place.get("remote"), place.get("hybrid")),
        employment_type=values.text(employment.get("label"))
        if isinstance(employment, dict)
        else "",
        date_posted=values.to_date(job.get("releasedDate")),
        url=url,
        apply_url=values.web_url(job.get("applyUrl")),
        description=values.description(_sections(job.get("jobAd")), unescape=False),
        source=SOURCE,
        board_id=values.text(job.get("id")),
    )


def _sections(ad: Any) -> str:
    if not isinstance(ad, dict) or not isinstance(ad.get("sections"), dict):
        return ""
    parts = []
    for key in ("companyDescription", "jobDescription", "qualifications", "additionalInformation"):
        section = ad["sections"].get(key)
        if isinstance(section, dict):
            parts.append(values.text(section.get("text")))
    return "".join(parts)


register_board(
    SOURCE,
    hosts=HOSTS,
    match=match,
    id_pattern=r"[0-9]{1,20}",
    items=items,
    to_posting=to_posting,
)
