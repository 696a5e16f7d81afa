"""The contract between every way in and the tracker: what a posting is, written once.

A way in (the form, a link or pasted page through the importer, a CSV row, and later the
extension, the API or a forwarded email) hands `jobs.services.job_create` a dict keyed by
POSTING_FIELDS (and TRACKING_FIELDS), plus where it came from (`channel`, and `board` with
`board_id` when read from an ATS). The jobs app alone validates, normalises and sanitises
what it stores, by the rules here and in `jobs.sanitize` (one allow-list, one cap:
DESCRIPTION_MAX).

This module imports no model: the importer may use it without knowing the tracker's tables.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

# What a posting says: the fields an importer, the form or a CSV row may set.
POSTING_FIELDS = (
    "title",
    "company",
    "location",
    "workplace",
    "employment_type",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_interval",
    "description",
    "url",
    "apply_url",
    "date_posted",
    "valid_through",
)
# What the person does with it, besides the stage. A way in may also hand over `notes`: the
# text of the job's first dated note (jobs.notes), not a field of the job.
TRACKING_FIELDS = ("applied_on", "applied_via", "follow_up_on")
# Where it came from, set once when the job is created.
ORIGIN_FIELDS = ("channel", "board", "board_id")

# The values a posting's coded fields take (the model's choices spell the same values).
WORKPLACES = ("onsite", "hybrid", "remote", "unknown")
SALARY_INTERVALS = ("hour", "day", "week", "month", "year")

# Caps on what is stored.
TITLE_MAX = 200
DESCRIPTION_MAX = 50_000
# One dated note (JobNote.body): as long as the single notes box was, so it moves over whole.
NOTE_MAX = 10_000
URL_MAX = 2000
BOARD_MAX = 32
SALARY_LIMIT = Decimal("9999999999.99")


def _amount(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        return None


def normalise_salary(data: dict) -> dict:
    """The one salary rule, for the salary keys present in `data`: amounts as Decimals (or
    None), the currency as its upper-case code, the interval one of SALARY_INTERVALS or "".
    Validation (negative amounts, a maximum below the minimum) is `salary_errors`'."""
    out = {}
    for name in ("salary_min", "salary_max"):
        if name in data:
            value = data[name]
            amount = _amount(value)
            # An unreadable amount is kept as given, for the model's validation to name it.
            out[name] = amount if amount is not None or value in (None, "") else value
    if "salary_currency" in data:
        out["salary_currency"] = (
            ("" if data["salary_currency"] is None else str(data["salary_currency"]))
            .strip()
            .upper()
        )
    if "salary_interval" in data:
        interval = data["salary_interval"]
        out["salary_interval"] = "" if interval is None else interval
    return out


def salary_errors(low, high) -> dict[str, str]:
    """What is wrong with a salary range, by field; empty when nothing is."""
    errors = {}
    for name, value in (("salary_min", low), ("salary_max", high)):
        if value is not None and value < 0:
            errors[name] = "A salary cannot be negative."
    if "salary_max" not in errors and low is not None and high is not None and high < low:
        errors["salary_max"] = "The maximum salary cannot be lower than the minimum."
    return errors
