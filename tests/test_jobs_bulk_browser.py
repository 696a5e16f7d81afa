"""The list's bulk actions in Chromium with JavaScript off, at a phone's width: tick two rows
by their labels, move them with the action bar, and read what happened."""

import importlib

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser]

EMAIL = "ticks@example.com"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def site(live_server, transactional_db):
    from django.apps import apps

    from privacy.models import NoticeVersion

    if not NoticeVersion.objects.exists():
        initial = importlib.import_module("privacy.migrations.0002_notice_1_0")
        initial.publish_first_version(apps, None)
    return live_server.url


@pytest.fixture
def jobs(site):
    from jobs import services

    user = make_user(EMAIL)
    return [
        services.job_create(
            user=user,
            data={
                "title": f"Platform engineer {i}",
                "company": "Acme",
                "url": f"https://acme.example/{i}",
            },
        )  # fmt: skip
        for i in range(3)
    ]


def test_two_ticked_rows_move_to_applied_without_javascript(site, browser, jobs):
    from jobs.models import Job

    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{site}{reverse('account_login')}")
    page.locator("input[name=login]").fill(EMAIL)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").first.click()
    page.wait_for_url(f"{site}{reverse('jobs:board')}")
    banner = page.locator("#consent-banner")
    if banner.count() and banner.is_visible():
        banner.get_by_role("button", name="Reject").first.click()

    page.goto(f"{site}{reverse('jobs:list')}?sort=company")
    page.get_by_label("Select Platform engineer 0").check()
    page.get_by_label("Select Platform engineer 2").check()
    bar = page.get_by_test_id("bulk-bar")
    bar.get_by_label("Move to").select_option("applied")
    move = bar.get_by_role("button", name="Move", exact=True)
    box = move.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    move.click()
    page.wait_for_url(f"{site}{reverse('jobs:list')}?sort=company")

    message = page.locator("main").get_by_text("2 jobs moved to Applied.")
    visible = message.is_visible()
    stages = dict(Job.objects.values_list("title", "stage"))
    context.close()
    assert visible
    assert stages == {"Platform engineer 0": "applied", "Platform engineer 1": "saved",
                      "Platform engineer 2": "applied"}  # fmt: skip


@pytest.mark.parametrize("width", [1280, 390])
def test_the_list_tags_and_delete_confirmation_pages_pass_axe(site, browser, jobs, width):
    from django.test import Client

    from jobs import tags
    from tests.browser_flows import answer_the_cookie_banner
    from tests.test_capture_browser import axe_violations

    tags.job_set_tags(job=jobs[0], names=["remote", "a rather long tag name for a phone"])
    client = Client()
    client.force_login(jobs[0].user)
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    context.set_default_timeout(15_000)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site}]
    )
    page = context.new_page()
    found = {}
    try:
        page.goto(site + reverse("jobs:board"))
        answer_the_cookie_banner(page)
        for path in (reverse("jobs:list"), reverse("jobs:tags"), reverse("jobs:board"),
                     reverse("jobs:detail", args=[jobs[0].pk])):  # fmt: skip
            page.goto(site + path)
            violations = axe_violations(page)
            if violations:
                found[path] = violations
        if width == 390:
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= width, f"the job page scrolls sideways ({wide} px)"
            page.goto(site + reverse("jobs:list"))
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= width, f"the list scrolls sideways ({wide} px)"
        page.goto(site + reverse("jobs:list"))
        page.get_by_label("Select Platform engineer 1").check()
        page.get_by_test_id("bulk-bar").get_by_role("button", name="Delete…").click()
        page.wait_for_selector("[data-testid=bulk-delete-jobs]")
        violations = axe_violations(page)
        if violations:
            found["delete confirmation"] = violations
    finally:
        context.close()
    assert found == {}
