"""Legal deadlines are computed from the day a request was received, never typed."""

from datetime import date

import pytest

from rights import deadlines


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 1, 31), date(2026, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),  # leap year
        (date(2026, 1, 15), date(2026, 2, 15)),
        (date(2026, 3, 31), date(2026, 4, 30)),
        (date(2026, 12, 31), date(2027, 1, 31)),  # across the year
        (date(2026, 2, 28), date(2026, 3, 28)),
        (date(2026, 5, 31), date(2026, 6, 30)),
    ],
)
def test_it_gives_gdpr_one_calendar_month_clamped_to_the_month_end(received, due):
    assert deadlines.due_on(regime="gdpr", received=received) == due


@pytest.mark.parametrize(
    ("received", "extension", "due"),
    [
        (date(2026, 1, 31), 1, date(2026, 3, 31)),
        (date(2026, 1, 31), 2, date(2026, 4, 30)),
        (date(2026, 11, 30), 2, date(2027, 2, 28)),
    ],
)
def test_it_extends_gdpr_by_whole_calendar_months(received, extension, due):
    assert deadlines.due_on(regime="gdpr", received=received, extension=extension) == due


def test_it_gives_ccpa_45_days_and_45_more():
    assert deadlines.due_on(regime="ccpa", received=date(2026, 1, 1)) == date(2026, 2, 15)
    assert deadlines.due_on(regime="ccpa", received=date(2026, 1, 1), extension=45) == date(
        2026, 4, 1
    )


@pytest.mark.parametrize(
    ("received", "acknowledge_by"),
    [
        (date(2026, 1, 5), date(2026, 1, 19)),  # a Monday: two full weeks
        (date(2026, 1, 9), date(2026, 1, 23)),  # a Friday
        (date(2026, 1, 10), date(2026, 1, 23)),  # a Saturday counts from the next Monday
    ],
)
def test_it_asks_ccpa_acknowledgement_within_ten_business_days(received, acknowledge_by):
    assert deadlines.acknowledge_by(regime="ccpa", received=received) == acknowledge_by
    assert deadlines.acknowledge_by(regime="gdpr", received=received) is None


def test_it_caps_extensions_per_regime():
    assert deadlines.max_extension("gdpr") == 2
    assert deadlines.max_extension("ccpa") == 45
