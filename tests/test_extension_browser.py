"""The extension in Chromium against a live JobTrax: connect, capture a job page, see it in the
tracker; capture it again and see "already tracked"; revoke the token and be asked to connect.

Two things a test cannot do as a person does, and how it stands in for them:
- A test cannot click a browser's permission prompt. The test build adds to the manifest, as
  granted at install, the two loopback hosts that a person would grant when connecting (the
  server's origin) and that `activeTab` grants on a click (the job page); the popup's
  `permissions.request` then resolves at once. The shipped manifest has no host permission
  (tests/test_extension_manifest.py).
- A test cannot click the toolbar button. It opens the popup as a tab
  (chrome-extension://<id>/popup.html); the popup, when it is itself the active tab, reads the
  tab used most recently before it: the job page the test just brought to the front.
"""

import importlib.util
import json
from pathlib import Path

import pytest
from django.test import Client

from api.models import ApiToken
from api.services import token_revoke
from jobs.models import Job
from tests.browser_flows import answer_the_cookie_banner
from tests.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.loopback_site import LoopbackSite

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]

POSTING = {
    "@context": "https://schema.org",
    "@type": "JobPosting",
    "title": "Site Reliability Engineer",
    "hiringOrganization": {"@type": "Organization", "name": "Hooli"},
    "jobLocation": {"@type": "Place", "address": {"addressLocality": "Zurich"}},
    "employmentType": "FULL_TIME",
    "description": "<p>Keep Hooli up.</p>",
}
JOB_PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>SRE at Hooli</title>"
    f'<script type="application/ld+json">{json.dumps(POSTING)}</script>'
    "</head><body><h1>Site Reliability Engineer</h1></body></html>"
).encode()


def _build_module():
    spec = importlib.util.spec_from_file_location("extension_build", ROOT / "extension/build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def extension_dir(tmp_path, live_server) -> Path:
    build = _build_module()
    target = build.build_dir("chromium", tmp_path / "extension", server=live_server.url)
    manifest = json.loads((target / "manifest.json").read_text())
    manifest["host_permissions"] = ["http://localhost/*", "http://127.0.0.1/*"]
    (target / "manifest.json").write_text(json.dumps(manifest))
    return target


@pytest.fixture
def browser_with_extension(tmp_path, extension_dir, playwright_driver):
    args = [a for a in CHROMIUM_ARGS if a != "--disable-quic"] + [
        f"--disable-extensions-except={extension_dir}",
        f"--load-extension={extension_dir}",
    ]
    context = playwright_driver.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=args
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def job_page_url(settings):
    settings.IMPORTER_ALLOW_LOOPBACK = True
    site = LoopbackSite().start()
    yield site.route("/careers/sre", body=JOB_PAGE)
    site.stop()


def open_popup(context, extension_id: str, job_tab):
    job_tab.bring_to_front()
    popup = context.new_page()
    popup.goto(f"chrome-extension://{extension_id}/popup.html")
    return popup


def test_it_connects_captures_says_already_tracked_and_asks_again_once_revoked(
    live_server, transactional_db, user, browser_with_extension, job_page_url
):
    context = browser_with_extension
    worker = context.service_workers[0] if context.service_workers else None
    if worker is None:
        worker = context.wait_for_event("serviceworker")
    extension_id = worker.url.split("/")[2]
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    job_tab = context.pages[0] if context.pages else context.new_page()
    job_tab.goto(job_page_url)

    # Connect: the popup opens JobTrax's page, alice approves, the tab closes by itself.
    popup = open_popup(context, extension_id, job_tab)
    popup.get_by_label("JobTrax address").fill(live_server.url)
    with context.expect_page() as opened:
        popup.get_by_role("button", name="Connect").click()
    connect_tab = opened.value
    connect_tab.wait_for_load_state()
    answer_the_cookie_banner(connect_tab)
    connect_tab.get_by_test_id("approve").click()
    connect_tab.wait_for_event("close")
    token = ApiToken.objects.get(user=user)
    assert (token.client, token.scopes) == ("extension", ["import", "jobs:read"])
    popup.close()

    # Capture: the preview is editable; Save puts it in the tracker.
    popup = open_popup(context, extension_id, job_tab)
    title = popup.get_by_label("Job title")
    title.wait_for()
    assert title.input_value() == "Site Reliability Engineer"
    assert popup.get_by_label("Company").input_value() == "Hooli"
    popup.get_by_label("Stage").select_option("applied")
    popup.get_by_role("button", name="Save to JobTrax").click()
    popup.get_by_text("Saved to your tracker.").wait_for()
    popup.close()
    job = Job.objects.get(user=user)
    assert (job.title, job.company, job.stage) == ("Site Reliability Engineer", "Hooli", "applied")
    assert job.channel == "extension"
    board = context.new_page()
    board.goto(f"{live_server.url}/jobs/")
    assert board.get_by_text("Site Reliability Engineer").first.is_visible()
    board.close()

    # Again: it is already tracked, with its stage and a link.
    popup = open_popup(context, extension_id, job_tab)
    popup.get_by_text("Already tracked.").wait_for()
    assert popup.locator("#tracked-stage").inner_text() == "Applied"
    assert popup.locator("#tracked-link").get_attribute("href").endswith(f"/jobs/{job.pk}/")
    assert popup.get_by_role("button", name="Update it in JobTrax").is_visible()
    popup.close()

    # Revoked on "Connected apps": the next click asks to connect again.
    token_revoke(token=token)
    popup = open_popup(context, extension_id, job_tab)
    popup.get_by_text("Connect again").wait_for()
    assert popup.get_by_role("button", name="Connect").is_visible()
    assert Job.objects.filter(user=user).count() == 1
