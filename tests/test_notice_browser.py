"""The notice in Chromium: contents links, the archive and comparison, and the banner, with
the CSP enforced and no violation reported."""

import importlib

import pytest

from privacy import services
from privacy.models import NoticeVersion
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser]


@pytest.fixture
def site(live_server, transactional_db):
    # A transactional test empties the tables afterwards, initial data included: load the
    # first version again the way a fresh install does.
    from django.apps import apps

    initial = importlib.import_module("privacy.migrations.0002_notice_1_0")
    initial.publish_first_version(apps, None)
    return live_server.url


def collect_csp_violations(page) -> list[str]:
    messages: list[str] = []
    page.on(
        "console",
        lambda message: (
            messages.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return messages


def publish_material_change() -> NoticeVersion:
    body = NoticeVersion.objects.get(number="1.0").body.replace("feedback.", "job alerts.")
    version = services.notice_draft_save(
        version=NoticeVersion(
            number="2.0", body=body, change_summary="We now send job alerts.", material=True
        )
    )
    return services.notice_publish(version=version)


def test_it_jumps_to_a_section_from_the_contents(site, page):
    violations = collect_csp_violations(page)
    page.goto(site + "/privacy/")

    page.get_by_role("link", name="14. How to contact us").click()

    assert page.url.endswith("#section-14-how-to-contact-us")
    assert page.locator("#section-14-how-to-contact-us").is_visible()
    assert page.get_by_text("Last updated").first.is_visible()
    assert violations == []


def test_it_walks_from_the_archive_to_a_comparison(site, page):
    publish_material_change()
    violations = collect_csp_violations(page)
    page.goto(site + "/privacy/versions/")

    page.get_by_role("link", name="1.0 → 2.0").click()

    assert page.locator("del", has_text="feedback.").first.is_visible()
    assert page.locator("ins", has_text="job alerts.").first.is_visible()
    assert violations == []


def test_it_shows_the_banner_until_the_user_acknowledges(site, page):
    make_user("alice@example.com")
    publish_material_change()
    violations = collect_csp_violations(page)
    page.goto(site + "/accounts/login/")
    page.fill("input[name=login]", "alice@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form").filter(has=page.locator("input[name=password]")).locator(
        "button[type=submit]"
    ).click()
    page.wait_for_load_state()

    banner = page.locator(".notice-banner")
    assert banner.is_visible()
    assert "We now send job alerts." in banner.inner_text()
    banner.get_by_role("button", name="I have read it").click()
    page.wait_for_load_state()

    assert page.locator(".notice-banner").count() == 0
    page.goto(site + "/privacy/")
    assert page.locator(".notice-banner").count() == 0
    assert violations == []
