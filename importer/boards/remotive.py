"""Remotive remote-jobs API (`jobs[]`); its salary is free text ("$90k - $105k")."""

from __future__ import annotations

from typing import Any

from importer.boards.common import label_workplace, listed
from importer.extract import values
from importer.posting import Posting

SOURCE = "remotive"


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
