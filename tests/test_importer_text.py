"""Pasted plain text: what a person copies from a job site fills what the text states, and
only that. Each tests/data/pasted/NAME.txt has its expected fields in NAME.json."""

import json
import time
from decimal import Decimal
from pathlib import Path

import pytest

from importer.extract import posting_from_text

PASTED = Path(__file__).parent / "data" / "pasted"
CASES = sorted(path.stem for path in PASTED.glob("*.txt"))
FIELDS = (
    "title", "company", "location", "workplace", "remote", "employment_type", "salary_min",
    "salary_max", "salary_currency", "salary_interval",
)  # fmt: skip


def test_there_are_pasted_texts_in_three_languages():
    assert len(CASES) >= 8
    assert {"linkedin_en", "stepstone_de", "welcome_fr"} <= set(CASES)


@pytest.mark.parametrize("name", CASES)
def test_it_reads_what_the_pasted_text_states(name):
    expected = json.loads((PASTED / f"{name}.json").read_text(encoding="utf-8"))

    posting = posting_from_text((PASTED / f"{name}.txt").read_text(encoding="utf-8"))

    got = {field: getattr(posting, field) for field in FIELDS}
    for field in ("salary_min", "salary_max"):
        if got[field] is not None:
            got[field] = int(got[field]) if got[field] == int(got[field]) else float(got[field])
    assert got == {field: expected[field] for field in FIELDS}
    assert sorted(posting.needs_check) == sorted(expected["needs_check"])
    for piece in expected["description_has"]:
        assert piece in posting.description
    for piece in expected["description_lacks"]:
        assert piece not in posting.description


def test_what_the_text_does_not_state_is_left_empty_not_guessed():
    posting = posting_from_text("Barista\nBlue Bottle\n\nWe roast coffee in Oakland since 2002.")

    assert (posting.title, posting.company) == ("Barista", "Blue Bottle")
    assert posting.location == ""
    assert posting.salary_min is None
    assert {"location", "salary_min", "employment_type", "workplace"} <= set(posting.needs_check)


@pytest.mark.parametrize(
    ("line", "low", "high", "currency", "interval"),
    [
        ("Salary: €60,000 – €75,000 per year", 60000, 75000, "EUR", "year"),
        ("Pay: $45–55/hr", 45, 55, "USD", "hour"),
        ("Salary: 60k–75k", 60000, 75000, "", ""),
        ("Gehalt: 60.000 € - 75.000 € pro Jahr", 60000, 75000, "EUR", "year"),
        ("Gehalt: 4.500 € brutto pro Monat", 4500, 4500, "EUR", "month"),
        ("Salaire : 45 000 € - 55 000 € par an", 45000, 55000, "EUR", "year"),
        ("Salary: competitive", None, None, "", ""),
    ],
)
def test_it_reads_salary_ranges_as_people_write_them(line, low, high, currency, interval):
    posting = posting_from_text(f"Engineer\nAcme\n{line}")

    expected = tuple(None if v is None else Decimal(v) for v in (low, high))
    assert (posting.salary_min, posting.salary_max) == expected
    assert (posting.salary_currency, posting.salary_interval) == (currency, interval)


@pytest.mark.parametrize(
    ("line", "workplace", "employment_type"),
    [
        ("Remote · Full-time", "remote", "full_time"),
        ("Hybrid · Part-time", "hybrid", "part_time"),
        ("On-site · Internship", "onsite", "internship"),
        ("Vollzeit · Homeoffice möglich", "hybrid", "full_time"),
        ("Teilzeit · Vor Ort", "onsite", "part_time"),
        ("Temps plein · Télétravail complet", "remote", "full_time"),
        ("CDD · Présentiel", "onsite", "temporary"),
    ],
)
def test_it_reads_workplace_and_employment_words(line, workplace, employment_type):
    posting = posting_from_text(f"Engineer\nAcme\n{line}\n\nAbout the job\nWe build things.")

    assert (posting.workplace, posting.employment_type) == (workplace, employment_type)


def test_remote_in_the_description_is_not_read_as_the_workplace():
    posting = posting_from_text(
        "Engineer\nAcme\n\nAbout the job\nSome of our customers work remote, we do not.\nRemote"
    )

    assert posting.workplace == "unknown"


def test_the_description_keeps_paragraphs_and_lists_under_the_one_policy():
    posting = posting_from_text(
        "Cook\nDiner\n\nWe <b>cook</b>.<script>alert(1)</script>\n\n- Eggs\n- Toast"
    )

    # The tracker's one description policy (jobs.sanitize): allowed tags stay, others go.
    assert posting.description == "<p>We <b>cook</b>.</p><ul><li>Eggs</li><li>Toast</li></ul>"


@pytest.mark.parametrize(
    "text",
    [
        "1," * 100_000,
        "Salary: " + "9" * 150_000,
        ("Location:\n" * 20_000),
        ("a · " * 50_000),
        ("(" * 100_000) + ")",
    ],
)
def test_hostile_text_is_read_in_linear_time(text):
    started = time.monotonic()
    posting_from_text(text)

    assert time.monotonic() - started < 2
