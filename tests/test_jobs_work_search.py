"""The work-search record: every application of a period, with its employer, as a PDF that a
PDF reader opens (A4 and Letter, the person's name and the period, the statement that it comes
from their own records) and as a CSV, in the German, US and UK layouts."""

import csv
import io
from datetime import date, timedelta

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from jobs import services
from jobs.models import Job, Stage
from tests.jobs_fixtures import add_job

pytestmark = pytest.mark.django_db


def _month():
    today = timezone.localdate()
    return today.replace(day=1), today


def _applied(user, title, company, on, via="online"):
    job = add_job(user, title, company=company)
    services.job_move(job=job, stage=Stage.APPLIED)
    services.job_update(job=job, data={"applied_on": on, "applied_via": via})
    return job


def _pdf_text(content: bytes) -> tuple[str, pypdf.PdfReader]:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages), reader


@pytest.mark.parametrize(("paper", "width_pt"), [("A4", 842), ("Letter", 792)])
def test_the_pdf_for_the_month_lists_the_job_with_its_employer(
    client_logged_in, user, paper, width_pt
):
    start, end = _month()
    _applied(user, "Data engineer", "Globex Corporation", end)
    _applied(user, "Too early", "Old Employer", start - timedelta(days=3))

    response = client_logged_in.post(
        reverse("jobs:work_search"),
        {"start": start, "end": end, "layout": "uk", "paper": paper, "name": "Erin Example",
         "format": "pdf"},
    )  # fmt: skip

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text, reader = _pdf_text(response.content)
    assert "Globex Corporation" in text and "Data engineer" in text
    assert "Old Employer" not in text
    assert "Erin Example" in text and "own records" in text
    assert round(float(reader.pages[0].mediabox.width)) == width_pt  # landscape


def test_the_german_layout_has_the_arbeitsagentur_headings(client_logged_in, user):
    start, end = _month()
    _applied(user, "Entwicklerin", "Müller GmbH", end, via="post")

    response = client_logged_in.post(
        reverse("jobs:work_search"),
        {
            "start": start,
            "end": end,
            "layout": "de",
            "paper": "A4",
            "name": "Jörg",
            "format": "pdf",
        },
    )

    text, _ = _pdf_text(response.content)
    assert "Bewerbungsnachweis" in text and "Art der Bewerbung" in text
    assert "Müller GmbH" in text and "schriftlich (Post)" in text
    assert "eigenen Aufzeichnungen" in text


def test_the_csv_has_the_us_columns_and_no_formula(client_logged_in, user):
    start, end = _month()
    _applied(user, "=HYPERLINK(1)", "Initech", end, via="email")

    response = client_logged_in.post(
        reverse("jobs:work_search"),
        {"start": start, "end": end, "layout": "us", "paper": "Letter", "format": "csv"},
    )

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Date of contact", "Employer name", "Position applied for",
                           "Method of contact"]  # fmt: skip
    assert rows[1][1] == "Initech" and rows[1][2].startswith("'=")
    assert rows[1][3] == "By email"


def test_the_page_shows_this_months_applications_and_not_someone_elses(
    client_logged_in, user, other_user
):
    _, end = _month()
    _applied(user, "Mine", "Acme", end)
    _applied(other_user, "Theirs", "Hidden Co", end)

    page = client_logged_in.get(reverse("jobs:work_search")).content.decode()

    assert "Acme" in page and "Hidden Co" not in page


def test_an_application_made_elsewhere_is_added_in_one_step(client_logged_in, user):
    response = client_logged_in.post(
        reverse("jobs:work_search_add"),
        {"applied_on": "2026-11-03", "company": "Walk-in Bakery", "title": "Baker",
         "applied_via": "in_person"},
    )  # fmt: skip

    assert response.status_code == 302
    job = Job.objects.get(company="Walk-in Bakery")
    assert (job.stage, job.applied_on, job.applied_via) == (
        "applied",
        date(2026, 11, 3),
        "in_person",
    )


def test_a_backwards_or_too_long_period_is_a_form_error(client_logged_in):
    backwards = client_logged_in.post(
        reverse("jobs:work_search"),
        {"start": "2026-11-30", "end": "2026-11-01", "layout": "uk", "paper": "A4",
         "format": "pdf"},
    )  # fmt: skip
    too_long = client_logged_in.get(
        reverse("jobs:work_search"),
        {"start": "2020-01-01", "end": "2026-11-01", "layout": "uk", "paper": "A4"},
    )

    assert backwards.status_code == 400 and "before its start" in backwards.content.decode()
    assert too_long.status_code == 400


def test_without_a_unicode_font_the_pdf_still_opens_with_latin_1_text(
    client_logged_in, user, settings
):
    settings.WORK_SEARCH_PDF_FONT = ""
    start, end = _month()
    _applied(user, "Ingénieur", "Société Générale", end)

    response = client_logged_in.post(
        reverse("jobs:work_search"),
        {"start": start, "end": end, "layout": "uk", "paper": "A4", "format": "pdf"},
    )

    text, _ = _pdf_text(response.content)
    assert "Société Générale" in text


def test_how_one_applied_is_set_on_the_job_page(client_logged_in, user):
    job = add_job(user)

    client_logged_in.post(
        reverse("jobs:tracking", args=[job.pk]),
        {"applied_on": "2026-11-05", "applied_via": "post", "follow_up_on": "", "notes": ""},
    )

    job.refresh_from_db()
    assert job.applied_via == "post"
