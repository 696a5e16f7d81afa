"""Remote OK API: a top-level array whose first element is the API's legal notice."""

from __future__ import annotations

from typing import Any

from importer.boards.common import label_workplace, listed
from importer.extract import values
from importer.posting import Posting

SOURCE = "remoteok"


def items(data: Any) -> list[dict]:
    # Postings have a position; the legal notice has none.
    return [item for item in listed(data) if "position" in item or "legal" not in item]


def to_posting(job: dict, ref) -> Posting:
    location = values.text(job.get("location"))
    # 0/0 is how Remote OK writes "no salary shown"; values.to_decimal reads zero as none.
    low, high = values.to_decimal(job.get("salary_min")), values.to_decimal(job.get("salary_max"))
    return Posting(
        title=values.text(job.get("position")),
        company=values.text(job.get("company")),
        location=location,
        **label_workplace(location),
        salary_min=low,
        salary_max=high,
        date_posted=values.to_date(job.get("date") or job.get("epoch")),
        url=values.web_url(job.get("url")) or (ref.url if ref else ""),
        apply_url=values.web_url(job.get("apply_url")),
        description=values.description(job.get("description"), unescape=False),
        source=SOURCE,
        board_id=values.text(job.get("id")),
    )
