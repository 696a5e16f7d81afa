"""In Chromium: a person adds an interview to a job, subscribes to the private feed, finds the
interview in it (and no employer name once the feed is discreet), then revokes it."""

import icalendar
import pytest

from tests.browser_flows import sign_in
from tests.conftest import PASSWORD, make_user
from tests.jobs_fixtures import add_job

pytestmark = [pytest.mark.browser]


def test_an_interview_reaches_the_private_feed_until_it_is_revoked(live_server, transactional_db,
                                                                   page):  # fmt: skip
    site = live_server.url
    user = make_user("erin@example.com")
    job = add_job(user, "Site reliability engineer", company="Globex")
    sign_in(page, site, "erin@example.com", PASSWORD)

    page.goto(f"{site}/jobs/{job.pk}/")
    page.get_by_role("link", name="Add an interview").click()
    page.get_by_label("Kind").select_option("onsite")
    page.get_by_label("Starts").fill("2030-05-14T10:30")
    page.get_by_label("With whom").fill("Grace Hopper")
    page.get_by_role("button", name="Save the interview").click()
    assert "On-site" in page.get_by_test_id("interviews").inner_text()

    page.goto(f"{site}/jobs/")
    page.get_by_role("link", name="Calendar feed").click()
    page.get_by_test_id("feed-create").click()
    webcal = page.get_by_test_id("feed-url").input_value()
    assert webcal.startswith("webcal://")
    https = page.get_by_test_id("feed-https").get_attribute("href")

    body = page.request.get(https).body()
    events = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [
        "Interview (on-site): Site reliability engineer at Globex"
    ]

    page.get_by_label("Discreet feed").check()
    page.get_by_role("button", name="Save", exact=True).first.click()
    assert "Globex" not in page.request.get(https).text()

    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/jobs/calendar-feed/", "/jobs/week/", f"/jobs/{job.pk}/",
                 f"/jobs/{job.pk}/interviews/new/", "/jobs/stages/", "/jobs/analytics/",
                 "/jobs/work-search/"):  # fmt: skip
        page.goto(site + path)
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= 390, f"{path} is {wide} px wide"

    page.goto(f"{site}/jobs/calendar-feed/")
    page.get_by_test_id("feed-revoke").click()
    assert page.request.get(https).status in (404, 410)
