"""Arbeitnow job-board API (`data[]`)."""

from __future__ import annotations

from typing import Any

from importer.boards.common import label_workplace, listed
from importer.extract import values
from importer.posting import Posting

SOURCE = "arbeitnow"


def items(data: Any) -> list[dict]:
    return listed(data, "data")


def to_posting(job: dict, ref) -> Posting:
    location = values.text(job.get("location"))
    return Posting(
        title=values.text(job.get("title")),
        company=values.text(job.get("company_name")),
        location=location,
        **label_workplace(location, job.get("remote")),
        employment_type=values.text_list(job.get("job_types")),
        date_posted=values.to_date(job.get("created_at")),
        url=values.web_url(job.get("url")) or (ref.url if ref else ""),
        # HTML given as escaped text: one unescape pass.
        description=values.description(job.get("description")),
        source=SOURCE,
        board_id=values.text(job.get("slug")),
    )
