"""One job posting, as every import path (ATS API, page markup, pasted text) produces it."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

from jobs.posting import POSTING_FIELDS, SALARY_INTERVALS, WORKPLACES

__all__ = ["FORM_FIELDS", "PAGE_SOURCES", "SALARY_INTERVALS", "WORKPLACES", "Posting"]
# Where a posting was read from, when not a board's API (then it is the board's name, one of
# importer.boards' registered boards).
PAGE_SOURCES = ("jsonld", "microdata", "rdfa", "opengraph", "page", "text")

# Keys of the "Add a job" form that a posting prefills: the posting contract's fields, and
# which board it was read from.
FORM_FIELDS = (*POSTING_FIELDS, "source", "board_id")

# The fields compared with the accuracy corpus, in its order.
CORPUS_FIELDS = (
    "title",
    "company",
    "location",
    "remote",
    "employment_type",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_interval",
    "date_posted",
    "url",
)


@dataclass(frozen=True)
class Posting:
    title: str = ""
    company: str = ""
    location: str = ""
    # Whether the job is remote; a hybrid job is not. None when the source does not say.
    remote: bool | None = None
    # The same fact for the job form, keeping hybrid apart.
    workplace: str = "unknown"
    employment_type: str = ""  # raw, as the source gives it
    salary_min: Decimal | None = None
    salary_max: Decimal | None = None
    salary_currency: str = ""
    salary_interval: str = ""  # one of SALARY_INTERVALS, or "" when not stated
    date_posted: date | None = None
    valid_through: date | None = None
    url: str = ""
    apply_url: str = ""
    description: str = ""  # sanitised HTML
    source: str = ""  # a board's name, or one of PAGE_SOURCES
    board_id: str = ""  # the board's own id, to spot a job already saved
    needs_check: tuple[str, ...] = ()  # fields guessed from the page's title or text

    def as_form_initial(self) -> dict:
        """Initial data for the job form: strings, Decimals and dates, empty values left out."""
        initial = {}
        for name in FORM_FIELDS:
            value = getattr(self, name)
            if value is None or value == "":
                continue
            initial[name] = value
        return initial

    def as_json(self) -> dict:
        """Every field, JSON-safe: empty strings become null, numbers stay numbers."""
        out: dict = {}
        for name in CORPUS_FIELDS + tuple(
            f.name for f in fields(self) if f.name not in CORPUS_FIELDS
        ):
            value = getattr(self, name)
            if value == "":
                value = None
            elif isinstance(value, Decimal):
                value = int(value) if value == value.to_integral_value() else float(value)
            elif isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            out[name] = value
        return out
