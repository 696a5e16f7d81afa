"""The tracker in Chromium at a phone's and a desktop's width: no page scrolls sideways, the
board scrolls inside its own strip, a move keeps the page where it was, the cookie banner
never covers a job form's last field or its button, and no label says "(optional)" twice."""

import importlib

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser]

EMAIL = "strip@example.com"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 720}


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
    made = []
    for i in range(12):
        job = services.job_create(
            user=user,
            data={"title": f"Senior platform reliability engineer {i}", "company": "Acme",
                  "location": "Lyon, France", "salary_min": 60000, "salary_max": 75000,
                  "salary_currency": "EUR", "salary_interval": "year",
                  "notes": "Averyveryverylongwordwithoutanyspacesinsideitatall" * 2},
        )  # fmt: skip
        made.append(job)
    services.job_move(job=made[0], stage="offer")
    return made


def _signed_in(browser, site, viewport):
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{site}{reverse('account_login')}")
    page.locator("input[name=login]").fill(EMAIL)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").first.click()
    page.wait_for_url(f"{site}{reverse('jobs:board')}")
    return context, page


def _sideways(page) -> int:
    return page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")


def test_at_390_px_no_tracker_page_scrolls_sideways(site, browser, jobs):
    context, page = _signed_in(browser, site, PHONE)
    job = jobs[1]
    report = {}
    for path in (reverse("jobs:board"), reverse("jobs:list"), reverse("jobs:new"),
                 reverse("jobs:detail", args=[job.pk]), reverse("jobs:edit", args=[job.pk]),
                 reverse("jobs:csv_import")):  # fmt: skip
        page.goto(site + path)
        if _sideways(page) > 0:
            report[path] = f"{_sideways(page)} px too wide"
        doubled = page.evaluate(
            """[...document.querySelectorAll('label')].map(l => l.textContent)
                 .filter(t => (t.toLowerCase().match(/optional/g) || []).length > 1)"""
        )
        if doubled:
            report[f"{path} labels"] = doubled
    context.close()
    assert report == {}


def test_at_390_px_the_list_is_stacked_rows(site, browser, jobs):
    context, page = _signed_in(browser, site, PHONE)
    page.goto(f"{site}{reverse('jobs:list')}")

    row = page.locator("[data-testid=job-table] tbody tr").first
    cells = row.locator("td:not([data-label=Select])")  # after each row's checkbox
    first, second = cells.nth(0).bounding_box(), cells.nth(1).bounding_box()
    header_visible = page.locator("[data-testid=job-table] thead").is_visible()
    label = cells.nth(1).evaluate("td => getComputedStyle(td, '::before').content")
    context.close()

    assert second["y"] >= first["y"] + first["height"] - 1  # one under the other
    assert not header_visible or label == '"Company"'


def test_at_390_px_the_board_scrolls_in_its_own_strip_with_snap_points(site, browser, jobs):
    context, page = _signed_in(browser, site, PHONE)
    strip = page.get_by_test_id("board")

    snap, overflow, inner, outer = strip.evaluate(
        "b => [getComputedStyle(b).scrollSnapType, getComputedStyle(b).overflowX,"
        " b.scrollWidth, b.clientWidth]"
    )
    column_snap = page.locator(".board-column").first.evaluate(
        "c => getComputedStyle(c).scrollSnapAlign"
    )
    sideways = _sideways(page)
    context.close()

    assert sideways <= 0
    assert snap.startswith("x") and column_snap.startswith("start")
    assert overflow == "auto" and inner > outer


def test_on_a_desktop_the_board_uses_the_full_width(site, browser, jobs):
    context, page = _signed_in(browser, site, DESKTOP)

    width = page.get_by_test_id("board").bounding_box()["width"]
    sideways = _sideways(page)
    context.close()

    assert width > 1200, f"the board is a {width} px strip"
    assert sideways <= 0


def test_the_stage_menu_of_the_last_column_is_not_cut_off(site, browser, jobs):
    context, page = _signed_in(browser, site, DESKTOP)

    card = page.locator("section.board-column[data-stage=offer] .job-card").first
    inside = page.evaluate(
        """c => { const s = c.querySelector('select').getBoundingClientRect();
                  const b = c.querySelector('button').getBoundingClientRect();
                  return s.left >= 0 && b.right <= window.innerWidth && s.right <= b.left + 1; }""",
        card.element_handle(),
    )
    context.close()
    assert inside


def test_a_move_keeps_the_page_where_the_person_was(site, browser, jobs):
    context, page = _signed_in(browser, site, PHONE)
    card = page.locator(".job-card", has_text="engineer 5")
    card.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, 40)")
    before = page.evaluate("window.scrollY")
    assert before > 0

    card.locator("select[name=stage]").select_option("applied")
    card.get_by_role("button", name="Move").click()
    page.wait_for_selector(".job-card[data-moved=applied]")

    after = page.evaluate("window.scrollY")
    in_applied = page.locator(
        "section.board-column[data-stage=applied] .job-card", has_text="engineer 5"
    ).count()
    context.close()
    assert in_applied == 1
    assert abs(after - before) < 5


def test_a_move_without_javascript_lands_on_the_moved_card(site, browser, jobs):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}{reverse('account_login')}")
    page.locator("input[name=login]").fill(EMAIL)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").first.click()
    page.wait_for_url(f"{site}{reverse('jobs:board')}")
    card = page.locator(".job-card", has_text="engineer 9")
    card.locator("select[name=stage]").select_option("interviewing")
    card.get_by_role("button", name="Move").click()
    page.wait_for_url(f"**{reverse('jobs:board')}#job-*")

    moved = page.locator(".job-card", has_text="engineer 9")
    top = moved.bounding_box()["y"]
    context.close()
    assert -1 <= top < PHONE["height"], top  # a sub-pixel above the edge is on screen


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_cookie_banner_never_covers_a_job_forms_last_field_or_button(
    site, browser, jobs, viewport
):
    context, page = _signed_in(browser, site, viewport)
    job = jobs[1]
    report = {}
    for path in (reverse("jobs:new"), reverse("jobs:edit", args=[job.pk]),
                 reverse("jobs:detail", args=[job.pk])):  # fmt: skip
        page.goto(site + path)
        assert page.locator("#consent-banner").is_visible()
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        for form in page.locator("main form:has([type=submit])").all():
            fields = form.locator("input:visible, select:visible, textarea:visible")
            targets = [form.locator("[type=submit]").first]
            if fields.count():
                targets.insert(0, fields.last)
            for target in targets:
                target.scroll_into_view_if_needed()
                on_top = target.evaluate(
                    """e => { const r = e.getBoundingClientRect();
                        const hit = document.elementFromPoint(r.x + r.width / 2,
                                                              r.y + r.height / 2);
                        return e === hit || e.contains(hit) || (hit && hit.contains(e)); }"""
                )
                if not on_top:
                    name = target.get_attribute("name") or "button"
                    report.setdefault(path, []).append(name)
    context.close()
    assert report == {}
