import zoneinfo
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from jobs.currencies import CURRENCIES

EARLIEST_DATE = date(1990, 1, 1)
LATEST_DATE = date(2100, 12, 31)

validate_web_url = URLValidator(
    schemes=["http", "https"], message="Enter a web address starting with https:// or http://."
)


def validate_date_in_range(value: date) -> None:
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            f"Enter a date between {EARLIEST_DATE:%Y} and {LATEST_DATE:%Y}.", code="date_range"
        )


def validate_currency(value: str) -> None:
    if value and value not in CURRENCIES:
        raise ValidationError(
            "Enter a currency as its three-letter ISO 4217 code, such as EUR or USD.",
            code="currency",
        )


def time_zone_choices() -> list[tuple[str, str]]:
    names = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})
    return [(name, name.replace("_", " ")) for name in names]


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError("Choose a time zone from the list.")
