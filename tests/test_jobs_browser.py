"""The tracker in Chromium, the way a new person uses it: sign up, find an empty board that
says what to do, add three jobs, move them with and without JavaScript (dragging), set a
follow-up and get the reminder, then export the CSV, the calendar and all their data."""

import csv
import io
import json
import re
import zipfile

import pytest
from django.utils import timezone

from tests.browser_flows import sign_in, sign_up, verify_email
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser]

EMAIL = "dana@example.com"
JOBS = [
    ("Data analyst", "Acme", "https://acme.example/jobs/1"),
    ("Backend engineer", "Globex", "https://globex.example/careers/2"),
    ("Product designer", "Initech", "https://initech.example/apply/3"),
]


@pytest.fixture
def site(live_server, transactional_db, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    return live_server.url


def _column(page, stage: str):
    return page.locator(f"section.board-column[data-stage={stage}]")


def _card(page, title: str):
    return page.locator(".job-card", has_text=title)


def test_a_new_person_tracks_jobs_from_signup_to_export(site, page, browser, tmp_path, mailoutbox):
    from jobs.models import Job
    from jobs.tasks import followup_reminders_send

    sign_up(page, site, EMAIL, PASSWORD)
    verify_email(page, site, mailoutbox, EMAIL)
    sign_in(page, site, EMAIL, PASSWORD)  # lands on the board

    assert page.url == f"{site}/jobs/"
    empty = page.get_by_test_id("empty-board")
    assert "Add a job" in empty.inner_text()

    for title, company, url in JOBS:
        empty_or_nav = page.locator("main").get_by_role("link", name="Add a job").first
        empty_or_nav.click()
        page.fill("input[name=title]", title)
        page.fill("input[name=company]", company)
        page.fill("input[name=url]", url)
        page.select_option("select[name=workplace]", "remote")
        page.get_by_role("button", name="Add to my board").click()
        page.wait_for_url(re.compile(r"/jobs/\d+/$"))
        page.goto(f"{site}/jobs/")
    for title, _, _ in JOBS:
        assert _card(page, title).is_visible()
    assert _column(page, "saved").locator(".job-card").count() == 3

    # With JavaScript, by its move form.
    analyst = _card(page, "Data analyst")
    analyst.locator("select[name=stage]").select_option("applied")
    analyst.get_by_role("button", name="Move").click()
    page.wait_for_load_state()
    assert _column(page, "applied").locator(".job-card", has_text="Data analyst").is_visible()

    # With JavaScript, by dragging the card to another column.
    # The drag's own events, on the card and the column: a pointer drag across the board's
    # scrolling strip lands wherever the strip has snapped to by then.
    transfer = page.evaluate_handle("() => new DataTransfer()")
    card = page.locator(".job-card", has_text="Backend engineer")
    column = page.locator("section.board-column[data-stage=interviewing]")
    card.dispatch_event("dragstart", {"dataTransfer": transfer})
    column.dispatch_event("dragover", {"dataTransfer": transfer})
    column.dispatch_event("drop", {"dataTransfer": transfer})
    card.dispatch_event("dragend", {"dataTransfer": transfer})
    page.wait_for_selector(".job-card[data-moved=interviewing]")
    page.reload()
    assert (
        _column(page, "interviewing").locator(".job-card", has_text="Backend engineer").is_visible()
    )

    # Without JavaScript at all: the same small form still moves a card.
    no_js = browser.new_context(
        java_script_enabled=False, storage_state=page.context.storage_state()
    )
    try:
        plain = no_js.new_page()
        plain.goto(f"{site}/jobs/")
        designer = plain.locator(".job-card", has_text="Product designer")
        designer.locator("select[name=stage]").select_option("applied")
        designer.get_by_role("button", name="Move").click()
        plain.wait_for_load_state()
        assert "Moved to Applied" in plain.locator(".messages").inner_text()
        assert plain.locator(
            "section.board-column[data-stage=applied] .job-card", has_text="Product designer"
        ).is_visible()
    finally:
        no_js.close()

    # A follow-up for today, from the job page, and its reminder email.
    _card(page, "Data analyst").get_by_role("link", name="Data analyst").click()
    timeline = page.get_by_test_id("timeline").inner_text()
    assert "Saved (added)" in timeline and "Saved → Applied" in timeline
    page.fill("input[name=follow_up_on]", timezone.localdate().isoformat())
    with page.expect_navigation():  # the saved page, not the form still showing what was typed
        page.get_by_role("button", name="Save", exact=True).click()
    assert Job.objects.get(title="Data analyst").follow_up_on == timezone.localdate()
    assert (
        page.locator("input[name=follow_up_on]").input_value() == timezone.localdate().isoformat()
    )
    followup_reminders_send()  # the task itself, inline: the browser session shares this process
    [reminder] = [m for m in mailoutbox if m.to == [EMAIL] and "Follow up" in m.subject]
    assert "Data analyst at Acme" in reminder.body

    # The CSV, with each job's history.
    page.goto(f"{site}/jobs/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Export CSV").click()
    with open(info.value.path(), encoding="utf-8") as exported:
        rows = list(csv.DictReader(io.StringIO(exported.read())))
    assert sorted(r["title"] for r in rows) == sorted(t for t, _, _ in JOBS)
    stages = {r["title"]: r["stage"] for r in rows}
    assert stages == {"Data analyst": "applied", "Backend engineer": "interviewing",
                      "Product designer": "applied"}  # fmt: skip
    history = json.loads(next(r for r in rows if r["title"] == "Backend engineer")["stage_history"])
    assert [step[1] for step in history] == ["saved", "interviewing"]

    # The calendar.
    with page.expect_download() as info:
        page.get_by_role("link", name="Calendar (.ics)").click()
    with open(info.value.path(), encoding="utf-8") as ics:
        calendar = ics.read()
    assert calendar.startswith("BEGIN:VCALENDAR") and "Follow up: Data analyst at Acme" in calendar

    # And all their data, from the "Your data" page.
    page.goto(f"{site}/data/")
    assert page.get_by_test_id("jobs-kept").inner_text() == "3"
    page.get_by_test_id("export-link").click()
    if "/reauthenticate/" in page.url:
        page.fill("input[name=password]", PASSWORD)
        page.get_by_role("button", name="Confirm").click()
    page.get_by_test_id("export-submit").click()
    with page.expect_download() as info:
        page.get_by_test_id("export-download").click()
    archive = zipfile.ZipFile(info.value.path())
    data = json.loads(archive.read("data.json"))
    assert sorted(job["title"] for job in data["records"]["jobs"]) == sorted(t for t, _, _ in JOBS)
    assert len(data["records"]["job_stage_changes"]) == 6
    assert "jobs.csv" in archive.namelist()
    assert Job.objects.count() == 3

    # Every tracker page at a phone's width, without sideways scrolling.
    job = Job.objects.get(title="Data analyst")
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/jobs/", "/jobs/list/", f"/jobs/{job.pk}/", f"/jobs/{job.pk}/edit/",
                 f"/jobs/{job.pk}/delete/", "/jobs/new/", "/jobs/csv-import/"):  # fmt: skip
        page.goto(site + path)
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= 390, f"{path} is {wide} px wide"
