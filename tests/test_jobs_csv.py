"""CSV export with the stage history, safe to open in a spreadsheet; CSV import previewed,
then what can be imported is (duplicates skipped, bad rows reported by row and column); a
round trip gives back the same jobs and the same history."""

import csv
import io
import json
from datetime import UTC, timedelta
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from jobs import notes, services
from jobs.csvio import COLUMNS
from jobs.models import Job, Stage, StageChange
from tests.conftest import make_user
from tests.jobs_fixtures import add_job, note_bodies

pytestmark = pytest.mark.django_db


def _export(client) -> str:
    response = client.get(reverse("jobs:export_csv"))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return response.content.decode()


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def _upload(client, content: bytes | str, name: str = "jobs.csv"):
    if isinstance(content, str):
        content = content.encode()
    return client.post(
        reverse("jobs:csv_import"), {"file": SimpleUploadedFile(name, content, "text/csv")}
    )


def _confirm(client, preview_response):
    token = preview_response.context["preview"].token
    return client.post(reverse("jobs:csv_import_confirm", args=[token]))


def test_the_export_holds_every_job_with_its_history(client_logged_in, user):
    job = add_job(user, "Analyst", url="https://jobs.example/1", notes="Spoke to Ana")
    services.job_move(job=job, stage=Stage.APPLIED)
    services.job_move(job=job, stage=Stage.INTERVIEWING)
    archived = add_job(user, "Old one")
    services.job_archive(job=archived)

    rows = _rows(_export(client_logged_in))

    assert [r["title"] for r in rows] == ["Analyst", "Old one"]
    history = json.loads(rows[0]["stage_history"])
    assert [(old, new) for old, new, _ in history] == [
        ("", "saved"), ("saved", "applied"), ("applied", "interviewing")
    ]  # fmt: skip
    assert rows[0]["notes"] == f"[{job.created_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC] Spoke to Ana"
    assert rows[1]["archived_at"]


@pytest.mark.parametrize("payload", ["=HYPERLINK(\"https://evil.example\")", "+1+1", "-2+3",
                                     "@SUM(A1)", "\t=1", "\r=1"])  # fmt: skip
def test_formula_like_cells_are_defused_in_the_export(client_logged_in, user, payload):
    add_job(user, "Role", company=payload.strip(), notes=payload)

    row = _rows(_export(client_logged_in))[0]

    assert row["company"].startswith("'")
    # A note's cell starts with its date, so no note can start a formula.
    assert row["notes"].startswith("[") and payload.strip() in row["notes"]


def test_a_round_trip_into_an_empty_account_gives_back_the_same_jobs(client, user):
    today = timezone.localdate()
    first = add_job(
        user, "Analyst", company="=Evil()", url="https://jobs.example/1", location="Paris",
        workplace="hybrid", employment_type="full_time", salary_min="50000", salary_max="60000",
        salary_currency="EUR", salary_interval="year", date_posted=today - timedelta(days=9),
        valid_through=today + timedelta(days=20), description="<p>Role, with “quotes”</p>",
        notes="line one\nline two, with comma", follow_up_on=today, channel="link",
        board="greenhouse", board_id="g-1",
    )  # fmt: skip
    services.job_move(job=first, stage=Stage.APPLIED)
    services.job_move(job=first, stage=Stage.REJECTED)
    notes.note_add(job=first, body="Second note\n\n[not a date] inside")
    second = add_job(user, "-Minus title", url="")
    services.job_archive(job=second)
    client.force_login(user)
    exported = _export(client)

    newcomer = make_user("carol@example.com")
    client.force_login(newcomer)
    preview = _upload(client, exported)
    assert preview.status_code == HTTPStatus.OK, preview.content.decode()
    assert preview.context["preview"].errors == []
    assert not Job.objects.filter(user=newcomer).exists()  # nothing before confirming
    _confirm(client, preview)

    fields = [f.name for f in Job._meta.concrete_fields
              if f.name not in ("id", "user", "url_key", "follow_up_reminded_on")]  # fmt: skip

    def snapshot(owner):
        jobs = Job.objects.filter(user=owner).order_by("created_at", "pk")
        return [
            (
                {name: getattr(job, name) for name in fields},
                list(
                    StageChange.objects.filter(job=job)
                    .order_by("changed_at", "pk")
                    .values_list("from_stage", "to_stage", "changed_at")
                ),
                note_bodies(job),
            )  # fmt: skip
            for job in jobs
        ]

    assert snapshot(newcomer) == snapshot(user)
    assert _export(client) == exported


def test_an_export_from_before_channel_and_board_still_imports(client_logged_in, user):
    old = (
        "title,company,location,source,board_id,stage,stage_history\n"
        "From Greenhouse,Acme,,greenhouse,4012,saved,[]\n"
        "Pasted,Acme,,paste,,saved,[]\n"
        "Elsewhere,Acme,,someboard,9,saved,[]\n"
    )

    preview = _upload(client_logged_in, old)
    assert preview.context["preview"].errors == []
    _confirm(client_logged_in, preview)

    got = {j.title: (j.channel, j.board, j.board_id) for j in Job.objects.filter(user=user)}
    assert got["From Greenhouse"] == ("link", "greenhouse", "4012")
    assert got["Pasted"] == ("paste", "", "")
    assert got["Elsewhere"] == ("link", "someboard", "9")


def test_a_generic_csv_is_matched_by_its_headers(client_logged_in, user):
    content = (
        "Position,Employer,Link,Status,Date Applied,Comments,Salary\n"
        "Designer,Studio,https://studio.example/jobs/3,Interview,2026-11-02,Nice team,$80k-$95k\n"
        "Writer,Paper,,wishlist,,,\n"
    )

    preview = _upload(client_logged_in, content)
    _confirm(client_logged_in, preview)

    designer, writer = Job.objects.filter(user=user).order_by("title")
    assert (designer.title, designer.company, designer.stage) == (
        "Designer",
        "Studio",
        "interviewing",
    )
    assert designer.url == "https://studio.example/jobs/3"
    assert str(designer.applied_on) == "2026-11-02"
    assert (designer.salary_min, designer.salary_max, designer.salary_currency) == (
        80000,
        95000,
        "USD",
    )
    assert note_bodies(designer) == ["Nice team"]
    assert (designer.channel, designer.board) == ("csv", "")
    assert (writer.title, writer.stage) == ("Writer", "saved")


def test_a_file_with_bad_rows_imports_the_rest_and_reports_each_by_row_and_column(
    client_logged_in, user
):
    content = (
        "Title,Company,Link,Status\n"
        "Good,Acme,https://acme.example/1,applied\n"
        "Bad link,Acme,javascript:alert(1),applied\n"
        ",Nameless,,saved\n"
        "Odd,Acme,,on the moon\n"
    )

    response = _upload(client_logged_in, content)

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "A dry run: nothing is imported yet" in html
    assert "<strong>1</strong> will be imported" in html and "3 cannot be imported" in html
    assert "row 3, column “Link”:" in html
    assert "row 4, column “Title”: every job needs a title." in html
    assert "row 5, " in html and "on the moon" in html
    assert not Job.objects.filter(user=user).exists()  # a dry run first

    _confirm(client_logged_in, response)

    assert list(Job.objects.filter(user=user).values_list("title", flat=True)) == ["Good"]


def test_a_file_where_no_row_can_be_imported_offers_no_import(client_logged_in, user):
    response = _upload(client_logged_in, "Title,Link\n,https://a.example/1\n")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert 'data-testid="confirm-import"' not in response.content.decode()


def test_duplicates_of_saved_jobs_or_within_the_file_are_skipped_and_reported_by_row(
    client_logged_in, user
):
    add_job(user, url="https://acme.example/1")
    content = (
        "Title,URL\nAgain,https://acme.example/1/?utm_source=x\n"
        "New,https://acme.example/2\nNew twice,https://ACME.example/2\n"
    )

    response = _upload(client_logged_in, content)
    preview = response.context["preview"]

    assert [row.skip for row in preview.rows] == ["already tracked", "", "the same job as row 3"]
    assert [row.errors for row in preview.rows] == [[], [], []]
    html = response.content.decode()
    assert "row 2: already tracked" in html and "row 4: the same job as row 3" in html
    _confirm(client_logged_in, response)
    assert Job.objects.filter(user=user).count() == 2


def test_confirming_twice_imports_once(client_logged_in, user):
    preview = _upload(client_logged_in, "Title\nOnce\n")

    _confirm(client_logged_in, preview)
    again = _confirm(client_logged_in, preview)

    assert again["Location"] == reverse("jobs:csv_import")
    assert Job.objects.filter(user=user).count() == 1


def test_another_persons_preview_cannot_be_confirmed(client, user, other_user):
    client.force_login(user)
    preview = _upload(client, "Title\nMine\n")
    client.force_login(other_user)

    _confirm(client, preview)

    assert not Job.objects.exists()


def test_a_job_added_between_the_check_and_the_import_is_skipped(client_logged_in, user):
    preview = _upload(
        client_logged_in, "Title,URL\nFirst,https://a.example/1\nSecond,https://a.example/2\n"
    )
    add_job(user, "Sneaked in", url="https://a.example/2")  # after the preview, before confirming

    response = _confirm(client_logged_in, preview)

    assert response["Location"] == reverse("jobs:board")
    titles = set(Job.objects.filter(user=user).values_list("title", flat=True))
    assert titles == {"Sneaked in", "First"}
    message = client_logged_in.get(reverse("jobs:board")).content.decode()
    assert "Imported 1 job. 1 skipped" in message


@pytest.mark.parametrize(
    "content, words",
    [
        ("Title\n".encode("utf-16"), "not UTF-8"),
        ("Title,Company\nCafé,Crème\n".encode("latin-1"), "not UTF-8"),
        (b"PK\x03\x04\x14\x00\x00\x00binary-zip", "not a CSV file"),
        (b"%PDF-1.7\n%\xe2\xe3", "not a CSV file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a CSV file"),
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"Title\n", "no rows"),
        (b"Colour,Size\nred,9\n", "No column for the job title"),
        (b'Title\n"unclosed\n', "not valid CSV"),
    ],
    ids=[
        "utf16",
        "latin1",
        "zip",
        "pdf",
        "png",
        "empty",
        "blank",
        "header-only",
        "no-title",
        "bad-quote",
    ],  # fmt: skip
)
def test_bad_files_get_a_clear_message(client_logged_in, content, words):
    response = _upload(client_logged_in, content)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert words in response.content.decode()
    assert not Job.objects.exists()


def test_files_over_5_mb_are_refused(client_logged_in):
    content = b"Title,Notes\n" + b"Role," + b"x" * (5 * 1024 * 1024) + b"\n"

    response = _upload(client_logged_in, content)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "larger than 5 MB" in response.content.decode()


def test_files_over_5000_rows_are_refused(client_logged_in):
    content = "Title\n" + "".join(f"Role {i}\n" for i in range(5001))

    response = _upload(client_logged_in, content)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "more than 5,000 rows" in response.content.decode()
    assert not Job.objects.exists()


def test_5000_rows_are_accepted(client_logged_in, user):
    content = "Title\n" + "".join(f"Role {i}\n" for i in range(5000))

    preview = _upload(client_logged_in, content)
    _confirm(client_logged_in, preview)

    assert Job.objects.filter(user=user).count() == 5000


# Hostile cells: each is a row error in the report, never a 500 --------------------------------

HOSTILE_CELLS = [
    ("salary_min", "NaN", "salary_min"),
    ("salary_min", "Infinity", "salary_min"),
    ("salary_max", "-Infinity", "salary_max"),
    ("salary_min", "1e999", "salary_min"),
    ("salary_max", "sNaN", "salary_max"),
    ("salary_min", "99999999999999", "salary_min"),
    ("stage_history", "[" * 100_000, "stage_history"),
    ("stage_history", "{" * 100_000, "stage_history"),
    ("stage_history", '[["", "saved", "' + "9" * 5000 + '"]]', "stage_history"),
]


@pytest.mark.parametrize(("column", "value", "words"), HOSTILE_CELLS, ids=lambda v: str(v)[:12])
def test_a_hostile_cell_in_a_jobtrax_file_is_a_row_error(
    client_logged_in, user, column, value, words
):
    cells = {"title": "Analyst", "company": "Acme", "stage": "saved"}
    cells[column] = value
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerow(cells)

    response = _upload(client_logged_in, buffer.getvalue())

    assert response.status_code == HTTPStatus.BAD_REQUEST
    errors = [error for row in response.context["preview"].rows for error in row.errors]
    # Reported by row and column, in the tracker's CSV report.
    assert errors and all(error.startswith(f"column “{words}”") for error in errors), errors
    assert not Job.objects.filter(user=user).exists()


@pytest.mark.parametrize("value", ["NaN", "Infinity", "1e999", "1e30"])
def test_a_hostile_salary_in_a_generic_file_is_a_row_error(client_logged_in, user, value):
    response = _upload(client_logged_in, f"Title,Salary\nAnalyst,{value}\n")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    errors = response.context["preview"].rows[0].errors
    assert errors and errors[0].startswith("column “Salary”")
    assert not Job.objects.filter(user=user).exists()
