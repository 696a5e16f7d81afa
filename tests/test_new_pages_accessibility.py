"""This round's pages pass the axe audit (WCAG 2.1 A and AA) at desktop and phone widths."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.browser_flows import answer_the_cookie_banner
from tests.test_capture_browser import axe_violations

pytestmark = pytest.mark.browser

PAGES = [
    "api:connected_apps",
    "api:docs",
    "inbox:forward",
    "inbox:review",
    "jobs:week",
    "jobs:analytics",
    "jobs:stages",
    "jobs:feed_page",
    "jobs:work_search",
    "rights:your_data",
]


@pytest.mark.parametrize("width", [1280, 390])
def test_the_new_pages_have_no_accessibility_violations(
    live_server, transactional_db, user, browser, settings, width
):
    from jobs import services

    settings.INBOUND_EMAIL_DOMAIN = "in.jobtrax.example"
    services.job_create(
        user=user, data={"title": "Data engineer", "company": "Globex"}, channel="manual"
    )
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    context.set_default_timeout(15_000)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value,
          "url": live_server.url}]
    )  # fmt: skip
    page = context.new_page()
    found = {}
    try:
        page.goto(live_server.url + reverse("jobs:board"))
        answer_the_cookie_banner(page)
        for name in PAGES:
            page.goto(live_server.url + reverse(name))
            violations = axe_violations(page)
            if violations:
                found[name] = violations
    finally:
        context.close()
    assert found == {}
