"""In Chromium, a person imports a job each way in, checks the preview and saves it.

The ATS APIs (Greenhouse, Lever) and the job sites are real HTTP servers on loopback; the
bookmarklet runs inside a job page whose CSP forbids every connection (`connect-src 'none'`).
"""

import html
import json
import re
from urllib.parse import unquote

import pytest
from django.test import Client

from importer.models import ImportPreview
from importer.services import preview_from_page
from tests.browser_flows import answer_the_cookie_banner
from tests.importer_fixtures import (
    GREENHOUSE_LINK,
    LEVER_LINK,
    LINKEDIN_PAGE,
    job_site,
)

pytestmark = pytest.mark.browser
PREVIEW_URL = re.compile(r"/jobs/import/[0-9a-f-]{36}/(\?.*)?$")
JOB_URL = re.compile(r"/jobs/[^/]+/$")

SRE_POSTING = {
    "@context": "https://schema.org",
    "@type": "JobPosting",
    "title": "Site Reliability Engineer",
    "hiringOrganization": {"@type": "Organization", "name": "Hooli"},
    "jobLocation": {"@type": "Place", "address": {"addressLocality": "Zurich"}},
    "employmentType": "FULL_TIME",
    "datePosted": "2026-11-29",
    "description": "<p>Keep Hooli up.</p>",
}
LOCKED_DOWN_PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>SRE at Hooli</title>"
    '<meta property="og:title" content="Site Reliability Engineer">'
    f'<script type="application/ld+json">{json.dumps(SRE_POSTING)}</script>'
    "</head><body><h1>Site Reliability Engineer</h1><p>Keep Hooli up.</p></body></html>"
).encode()
LOCKED_DOWN_CSP = "default-src 'none'; connect-src 'none'; style-src 'unsafe-inline'"


@pytest.fixture
def app(live_server, transactional_db, settings, user, page):
    """JobTrax on a live server, the job sites on loopback, and alice signed in."""
    sites = job_site(settings)
    sites.route(
        "/hooli/sre",
        body=LOCKED_DOWN_PAGE,
        headers={"Content-Security-Policy": LOCKED_DOWN_CSP},
    )
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/jobs/import/")
    answer_the_cookie_banner(page)
    yield live_server.url, sites
    sites.stop()


def confirm_preview(page, *, title: str, company: str) -> None:
    page.wait_for_url(PREVIEW_URL)
    assert page.locator("input[name=title]").input_value() == title
    assert page.locator("input[name=company]").input_value() == company
    page.get_by_test_id("import-confirm").click()
    page.wait_for_url(JOB_URL)


def assert_tracked(user, *, title: str, company: str, channel: str, board: str = "") -> None:
    from jobs.models import Job

    job = Job.objects.get(user=user, title=title)
    assert job.company == company
    assert (job.channel, job.board) == (channel, board)
    assert not ImportPreview.objects.filter(owner=user).exists()


def import_link(page, base: str, link: str) -> None:
    page.goto(f"{base}/jobs/import/")
    page.locator("#link_url").fill(link)
    page.get_by_test_id("import-link").click()


def test_a_person_imports_a_greenhouse_link(app, page, user):
    base, sites = app

    import_link(page, base, GREENHOUSE_LINK)
    confirm_preview(page, title="Senior Platform Engineer", company="Acme Robotics")

    assert page.get_by_text("Senior Platform Engineer").first.is_visible()
    assert_tracked(
        user,
        title="Senior Platform Engineer",
        company="Acme Robotics",
        channel="link",
        board="greenhouse",
    )
    assert any(seen.path.startswith("/greenhouse/v1/boards/acme/jobs/") for seen in sites.requests)


def test_a_person_imports_a_lever_link(app, page, user):
    base, _sites = app

    import_link(page, base, LEVER_LINK)
    page.wait_for_url(PREVIEW_URL)
    assert page.locator("select[name=workplace]").input_value() == "remote"
    page.locator("textarea[name=notes]").fill("Ask about the design system.")
    confirm_preview(page, title="Product Designer", company="")

    assert_tracked(user, title="Product Designer", company="", channel="link", board="lever")


def test_a_person_imports_a_careers_page_with_json_ld(app, page, user):
    base, sites = app

    import_link(page, base, sites.url("/careers/data-analyst"))
    confirm_preview(page, title="Data Analyst", company="Globex")

    assert_tracked(user, title="Data Analyst", company="Globex", channel="link")
    page.goto(f"{base}/jobs/")
    assert page.get_by_text("Data Analyst").first.is_visible()


def test_a_person_pastes_a_linkedin_style_page(app, page, user):
    base, sites = app

    page.locator("#paste_content").fill(LINKEDIN_PAGE)
    page.get_by_test_id("import-paste").click()
    confirm_preview(page, title="Backend Developer (Python)", company="Initech")

    assert_tracked(user, title="Backend Developer (Python)", company="Initech", channel="paste")
    assert sites.requests == []  # nothing was fetched for a pasted page


def test_a_person_uses_the_bookmarklet_on_a_page_that_forbids_connections(app, page, user):
    base, sites = app
    page.goto(f"{base}/jobs/import/bookmarklet/")
    href = page.get_by_test_id("bookmarklet").get_attribute("href")
    code = unquote(html.unescape(href).removeprefix("javascript:"))
    jobtrax_requests = []
    page.on("request", lambda request: jobtrax_requests.append(request.url))

    page.goto(sites.url("/hooli/sre"))
    assert page.evaluate("document.title") == "SRE at Hooli"
    page.evaluate(code)  # what a browser does with a bookmark's javascript: URL
    confirm_preview(page, title="Site Reliability Engineer", company="Hooli")

    assert_tracked(user, title="Site Reliability Engineer", company="Hooli", channel="bookmarklet")
    # The page's data travelled in the fragment, then in a POST: never in a URL a server saw.
    sent = [url for url in jobtrax_requests if url.startswith(base)]
    assert sent and all("#d=" not in url and "Hooli" not in url for url in sent)
    # Only the job page itself was served by the job site: the bookmarklet fetched nothing.
    assert [seen.path for seen in sites.requests] == ["/hooli/sre"]


def test_the_import_pages_fit_a_phone_and_work_without_javascript(
    live_server, transactional_db, settings, user, browser
):
    """390 px wide, cookie banner undecided, Sec-GPC: 1, JavaScript off: paste, check, save."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        java_script_enabled=False,
        extra_http_headers={"Sec-GPC": "1"},
    )
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/jobs/import/")
    page.locator("#paste_content").fill(LINKEDIN_PAGE)
    page.get_by_test_id("import-paste").click()
    page.wait_for_url(PREVIEW_URL)
    page.get_by_test_id("import-confirm").click()
    page.wait_for_url(JOB_URL)
    assert_tracked(user, title="Backend Developer (Python)", company="Initech", channel="paste")
    context.close()

    measure = browser.new_context(viewport={"width": 390, "height": 844})
    measure.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = measure.new_page()
    fresh = preview_from_page(user=user, content=LINKEDIN_PAGE)
    for path in ("/jobs/import/", "/jobs/import/bookmarklet/", "/jobs/import/fetcher/",
                 f"/jobs/import/{fresh.pk}/"):  # fmt: skip
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    measure.close()
