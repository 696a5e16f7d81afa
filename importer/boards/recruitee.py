"""Recruitee offers API: {company}.recruitee.com/api/offers/{slug}."""

from __future__ import annotations

from typing import Any

from importer.boards.common import api, label_workplace, listed, safe_slug
from importer.boards.registry import register_board
from importer.extract import values
from importer.posting import Posting

SOURCE = "recruitee"


def match(host: str, path: list[str], query: dict[str, str]):
    company = host.removesuffix(".recruitee.com")
    if company == host or not safe_slug(company) or len(path) < 2 or path[0] != "o":
        return None
    slug = path[1]
    if not safe_slug(slug):
        return None
    return company, slug, [api("IMPORTER_RECRUITEE_API", f"/offers/{slug}", company=company)]


def items(data: Any) -> list[dict]:
    return listed(data, "offers", "offer")


def to_posting(offer: dict, ref) -> Posting:
    location = values.text(offer.get("location")) or ", ".join(
        part
        for part in (values.text(offer.get(k)) for k in ("city", "state_name", "country"))
        if part
    )
    salary = offer.get("salary") if isinstance(offer.get("salary"), dict) else {}
    low, high = values.to_decimal(salary.get("min")), values.to_decimal(salary.get("max"))
    has_salary = low is not None or high is not None
    description = values.text(offer.get("description")) + values.text(offer.get("requirements"))
    return Posting(
        title=values.text(offer.get("title")),
        company=values.text(offer.get("company_name")),
        location=location,
        **label_workplace(location, offer.get("remote"), offer.get("hybrid")),
        employment_type=values.text(offer.get("employment_type_code")),
        salary_min=low,
        salary_max=high,
        salary_currency=values.text(salary.get("currency")) if has_salary else "",
        salary_interval=values.interval(salary.get("period")) if has_salary else "",
        date_posted=values.to_date(offer.get("published_at")),
        valid_through=values.to_date(offer.get("close_at")),
        url=values.web_url(offer.get("careers_url")) or (ref.url if ref else ""),
        apply_url=values.web_url(offer.get("careers_apply_url")),
        description=values.description(description, unescape=False),
        source=SOURCE,
        board_id=values.text(offer.get("slug")),
    )


register_board(SOURCE, hosts=(".recruitee.com",), match=match, items=items, to_posting=to_posting)
