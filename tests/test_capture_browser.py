"""In Chromium, at 1280 and 390 px, a new signed-in person finds the importer where they look:
the link box on the empty board and above their jobs, a plain-text paste that fills the title
and the company, a second import that offers the saved job. Every page passes the axe audit
(WCAG 2.1 A and AA) and has no sideways scroll."""

import re
from pathlib import Path

import pytest
from django.test import Client

from tests.browser_flows import answer_the_cookie_banner

pytestmark = pytest.mark.browser
PREVIEW_URL = re.compile(r"/jobs/import/[0-9a-f-]{36}/(\?.*)?$")
JOB_URL = re.compile(r"/jobs/[^/]+/$")
PASTED = (Path(__file__).parent / "data" / "pasted" / "linkedin_en.txt").read_text()
POSTING_URL = "https://jobs.example/northwind/42"


def axe_violations(page) -> list[str]:
    axe = pytest.importorskip("axe_playwright_python")
    page.add_script_tag(path=str(Path(axe.__file__).parent / "axe.min.js"))
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag',
               values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in result["violations"]]


def check_page(page, width: int) -> None:
    assert axe_violations(page) == [], page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def paste(page, base: str) -> None:
    page.goto(f"{base}/jobs/import/")
    page.locator("textarea[name=content]").fill(PASTED)
    page.locator("#paste_url").fill(POSTING_URL)
    page.get_by_test_id("import-paste").click()
    page.wait_for_url(PREVIEW_URL)


@pytest.mark.parametrize("width", [1280, 390])
def test_a_new_person_finds_and_uses_the_importer(live_server, transactional_db, user, browser,
                                                   width):  # fmt: skip
    client = Client()
    client.force_login(user)
    # bypass_csp lets the audit inject axe; the pages run their own scripts as ever.
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    context.set_default_timeout(15_000)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value,
          "url": live_server.url}]
    )  # fmt: skip
    page = context.new_page()
    base = live_server.url

    page.goto(f"{base}/jobs/")
    answer_the_cookie_banner(page)
    empty = page.get_by_test_id("empty-board")
    assert empty.get_by_test_id("link-box").is_visible()
    check_page(page, width)
    page.goto(f"{base}/jobs/list/")
    assert page.get_by_test_id("link-box").is_visible()
    check_page(page, width)

    menu = page.get_by_test_id("add-job-menu")
    menu.locator("summary").click()
    assert menu.get_by_role("link", name=re.compile("Paste the page")).is_visible()
    assert menu.get_by_role("link", name=re.compile("Type it in")).is_visible()

    paste(page, base)
    assert page.locator("input[name=title]").input_value() == "Senior Backend Engineer"
    assert page.locator("input[name=company]").input_value() == "Northwind Analytics"
    assert page.locator("input[name=location]").input_value() == "London, England, United Kingdom"
    assert "<" not in page.locator("textarea[name=description]").input_value()
    check_page(page, width)
    page.get_by_test_id("import-confirm").click()
    page.wait_for_url(JOB_URL)
    job_url = page.url
    assert page.get_by_test_id("description").locator("li").count() >= 3
    check_page(page, width)

    page.goto(f"{base}/jobs/")
    box = page.get_by_test_id("link-box").bounding_box()
    board = page.get_by_test_id("board").bounding_box()
    assert box["y"] < board["y"]
    check_page(page, width)
    page.goto(f"{base}/jobs/list/")
    check_page(page, width)

    paste(page, base)
    duplicate = page.get_by_test_id("import-duplicate")
    assert duplicate.is_visible()
    assert page.get_by_test_id("import-confirm").count() == 0
    check_page(page, width)
    duplicate.get_by_test_id("open-saved-job").click()
    page.wait_for_url(job_url)
    context.close()


def test_a_capture_sent_while_signed_out_survives_signing_in(
    live_server, transactional_db, user, password, page
):
    from tests.test_importer_signed_out import payload

    base = live_server.url
    page.goto(f"{base}/jobs/import/#d={payload()}")
    # Nothing is kept until the person asks: a link to #d=... only fills the form.
    page.get_by_test_id("bookmarklet-read").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    assert "#d=" not in page.url
    answer_the_cookie_banner(page)
    page.locator("input[name=email], input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(password)
    page.locator("main form [type=submit]").click()

    page.wait_for_url(PREVIEW_URL)
    assert page.locator("input[name=title]").input_value() == "Data Analyst"
    assert page.locator("input[name=company]").input_value() == "Globex"
