"""Legal deadlines of a request, computed from the day it was received."""

import calendar
from datetime import date, timedelta

GDPR = "gdpr"
CCPA = "ccpa"
GDPR_MAX_EXTENSION_MONTHS = 2
CCPA_DAYS = 45
CCPA_EXTENSION_DAYS = 45
CCPA_ACKNOWLEDGE_BUSINESS_DAYS = 10


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the end of a shorter month (31 Jan → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_business_days(day: date, days: int) -> date:
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def due_on(*, regime: str, received: date, extension: int = 0) -> date:
    """GDPR: one calendar month plus `extension` months; CCPA: 45 days plus `extension` days."""
    if regime == CCPA:
        return received + timedelta(days=CCPA_DAYS + extension)
    return add_months(received, 1 + extension)


def acknowledge_by(*, regime: str, received: date) -> date | None:
    if regime == CCPA:
        return add_business_days(received, CCPA_ACKNOWLEDGE_BUSINESS_DAYS)
    return None


def max_extension(regime: str) -> int:
    return CCPA_EXTENSION_DAYS if regime == CCPA else GDPR_MAX_EXTENSION_MONTHS
