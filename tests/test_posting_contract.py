"""One contract between every way in and the tracker: the posting's fields, the salary rule
and the description policy are written once (jobs/posting.py, jobs/sanitize.py)."""

from dataclasses import fields
from decimal import Decimal

import pytest

from importer.extract import values
from importer.posting import FORM_FIELDS, Posting
from jobs import csvio, posting
from jobs.forms import JobForm
from jobs.models import Interval, Job, Workplace
from jobs.sanitize import sanitize_description


def test_every_way_in_speaks_the_posting_fields():
    model = {f.name for f in Job._meta.get_fields()}
    importer_posting = {f.name for f in fields(Posting)}
    form = set(JobForm().fields)

    for name in posting.POSTING_FIELDS + posting.TRACKING_FIELDS + posting.ORIGIN_FIELDS:
        assert name in model, name
        assert name in form, name
        assert name in csvio.COLUMNS, name
    for name in posting.POSTING_FIELDS:
        assert name in importer_posting, name
        assert name in FORM_FIELDS, name


def test_the_coded_values_are_the_models_choices():
    assert set(posting.WORKPLACES) == set(Workplace.values)
    assert set(posting.SALARY_INTERVALS) == set(Interval.values)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            {"salary_min": "50000", "salary_max": 60000, "salary_currency": " eur "},
            {"salary_min": Decimal(50000), "salary_max": Decimal(60000), "salary_currency": "EUR"},
        ),
        (
            {"salary_min": None, "salary_max": "", "salary_interval": None},
            {"salary_min": None, "salary_max": None, "salary_interval": ""},
        ),
        ({"salary_min": "50,000.50"}, {"salary_min": Decimal("50000.50")}),
        ({"salary_min": "lots"}, {"salary_min": "lots"}),
    ],
    ids=[
        "strings-and-lower-case",
        "empty",
        "thousands-separator",
        "unreadable-left-for-validation",
    ],
)
def test_one_salary_rule(given, expected):
    assert posting.normalise_salary(given) == expected


def test_one_salary_check():
    assert posting.salary_errors(Decimal(10), Decimal(5)) == {
        "salary_max": "The maximum salary cannot be lower than the minimum."
    }
    assert posting.salary_errors(Decimal(-1), None) == {
        "salary_min": "A salary cannot be negative."
    }
    assert posting.salary_errors(None, Decimal(5)) == {}


def test_the_importer_sanitises_with_the_trackers_policy():
    hostile = '<p>Role</p><img src=x onerror="alert(1)"><iframe src="https://x.example"></iframe>'

    assert values.description(hostile) == sanitize_description(hostile) == "<p>Role</p>"


def test_the_importer_caps_descriptions_at_the_trackers_cap():
    long = "<p>" + "word " * (posting.DESCRIPTION_MAX // 4) + "</p>"

    capped = values.description(long)

    assert posting.DESCRIPTION_MAX - 1000 < len(capped) <= posting.DESCRIPTION_MAX
    assert capped.endswith("</p>")
