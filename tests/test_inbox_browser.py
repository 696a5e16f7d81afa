"""A person turns on their forwarding address, copies it, forwards a rejection, and confirms the
proposed update from the board's banner, at a phone's width, in Chromium."""

import io
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser_flows import sign_in
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser]

DATA = Path(__file__).parent / "data" / "inbound"
DOMAIN = "in.jobtrax.example"


def pipe(raw: bytes) -> int:
    old, sys.stdin = sys.stdin, io.TextIOWrapper(io.BytesIO(raw))
    try:
        call_command("jobs_inbound")
    except SystemExit as exc:
        return exc.code
    finally:
        sys.stdin = old
    return -1


def test_a_person_forwards_a_rejection_and_confirms_it(
    live_server, transactional_db, settings, browser
):
    from jobs.models import Job
    from jobs.services import job_create

    settings.INBOUND_EMAIL_DOMAIN = DOMAIN
    user = make_user("alice@example.com")
    job = job_create(
        user=user, data={"title": "Data Engineer", "company": "Northwind Analytics"},
        stage="applied",
    )  # fmt: skip
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    sign_in(page, live_server.url, "alice@example.com", PASSWORD)

    page.get_by_role("link", name="Forward emails").first.click()
    page.get_by_test_id("enable-address").click()
    address = page.get_by_test_id("forwarding-address").input_value()
    page.get_by_role("button", name="Copy").click()
    page.get_by_text("Copied.").wait_for()
    width = page.evaluate("document.scrollingElement.scrollWidth")

    assert address.endswith("@" + DOMAIN)
    assert page.evaluate("navigator.clipboard.readText()") == address
    assert width <= 390

    raw = (DATA / "lever_rejection_en_apple.eml").read_bytes()
    raw = raw.replace(b"k3x9v2m7q4w8z1ab@" + DOMAIN.encode(), address.encode())
    assert pipe(raw) == 0

    page.goto(f"{live_server.url}/jobs/")
    page.get_by_role("link", name="1 update from your emails").click()
    page.get_by_test_id("proposal").get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"{live_server.url}/jobs/from-email/")

    assert Job.objects.get(pk=job.pk).stage == "rejected"
    assert page.get_by_test_id("no-proposals").is_visible()
    context.close()
