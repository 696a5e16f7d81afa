"""The installable app in Chromium: the service worker registers under the site's CSP, and a
share posted the way Android's share sheet posts it opens the importer's preview on a tap."""

import re

import pytest
from django.test import Client

from importer.models import ImportPreview
from jobs.models import Job
from tests.browser_flows import answer_the_cookie_banner
from tests.importer_fixtures import job_site

pytestmark = pytest.mark.browser


def csp_messages(page) -> list[str]:
    messages: list[str] = []
    page.on(
        "console",
        lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return messages


def test_the_service_worker_registers_without_a_csp_violation(live_server, transactional_db, page):
    violations = csp_messages(page)
    page.goto(live_server.url + "/")

    scope = page.evaluate(
        "navigator.serviceWorker.ready.then((registration) => registration.scope)"
    )

    assert scope == live_server.url + "/"
    assert violations == []


def test_a_share_opens_the_preview_after_a_tap(live_server, transactional_db, settings, user, page):
    sites = job_site(settings)
    try:
        client = Client()
        client.force_login(user)
        page.context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value,
              "url": live_server.url}]
        )  # fmt: skip
        page.goto(live_server.url + "/jobs/")
        answer_the_cookie_banner(page)
        link = sites.url("/careers/data-analyst")
        # What the share sheet does: a cross-site multipart POST without any CSRF token.
        page.evaluate(
            """([action, text]) => {
              const form = document.createElement("form");
              form.method = "post"; form.action = action; form.enctype = "multipart/form-data";
              const field = document.createElement("input");
              field.name = "text"; field.value = text; form.appendChild(field);
              document.body.appendChild(form); form.submit();
            }""",
            [live_server.url + "/share/", f"Look at this job {link}"],
        )
        page.get_by_test_id("shared-link").wait_for()
        assert not ImportPreview.objects.exists()

        page.get_by_test_id("share-confirm").click()
        page.wait_for_url(re.compile(r"/jobs/import/[0-9a-f-]{36}/"))
        page.locator("input[name=title]").wait_for()
        assert page.locator("input[name=title]").input_value() == "Data Analyst"
        assert not Job.objects.exists()
    finally:
        sites.stop()
