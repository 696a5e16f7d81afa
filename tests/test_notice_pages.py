"""The public notice pages: current notice, archive, permanent pages, comparison, processors,
contact. Everyone may read them, so the outsider here is an anonymous visitor."""

import re
from http import HTTPStatus

import pytest

from privacy import services
from privacy.models import NoticeVersion
from tests.notice_versions import current, later

SECTIONS = [
    "What information do we collect?",
    "How do we use your information?",
    "Legal bases for processing (EU/UK users)",
    "When and with whom do we share your personal information?",
    "Cookies and other tracking technologies",
    "How long do we keep your information?",
    "How do we keep your information safe?",
    "Do we collect information from minors?",
    "Your privacy rights",
    "Additional information for California residents",
    "Do-Not-Track signals",
    "International data transfers",
    "Changes to this notice",
    "How to contact us",
    "How to review, update, or delete your data",
    "AI features and content",
]


def publish(number: str, *, body: str, summary: str = "Clarified wording.", material=False):
    version = services.notice_draft_save(
        version=NoticeVersion(number=number, body=body, change_summary=summary, material=material)
    )
    return services.notice_publish(version=version)


def first_version() -> NoticeVersion:
    return current()


def test_it_serves_the_newest_shipped_version_on_a_fresh_install(client, db):
    newest = current()

    response = client.get("/privacy/")

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert f"Version {newest.number}" in html
    assert "Last updated" in html
    assert f'<time datetime="{newest.effective_date.isoformat()}">' in html


def test_it_has_all_sixteen_sections_with_a_table_of_contents_linking_to_each(client, db):
    html = client.get("/privacy/").content.decode()

    for number, title in enumerate(SECTIONS, start=1):
        heading = re.search(rf'<h2 id="([^"]+)">{number}\. {re.escape(title)}</h2>', html)
        assert heading, f"section {number} is missing"
        assert f'<a href="#{heading.group(1)}">{number}. {title}</a>' in html
    assert '<a href="#section-41-service-providers-processors">' in html


def test_it_fills_in_contact_addresses_and_minimum_age_from_settings(client, db, settings):
    settings.JOBTRAX_PRIVACY_EMAIL = "dpo@example.org"
    settings.JOBTRAX_MINIMUM_AGE = 21

    html = client.get("/privacy/").content.decode()

    assert '<a href="mailto:dpo@example.org"' in html
    assert "not intended for users under 21." in html
    assert "{{" not in html
    assert "[email" not in html


def test_it_links_to_the_archive_processors_choices_and_your_data_pages(client, db):
    html = client.get("/privacy/").content.decode()

    for url in ("/privacy/versions/", "/privacy/processors/", "/privacy/choices/", "/data/"):
        assert f'href="{url}"' in html


def test_it_lists_every_published_version_newest_first_without_drafts(client, db):
    base, number = current().number, later()
    publish(number, body=first_version().body + "\n\nA clarification.")
    services.notice_draft_save(
        version=NoticeVersion(number="9.0", body="Draft.", change_summary="Not yet.")
    )

    html = client.get("/privacy/versions/").content.decode()

    assert html.index(f">{number}</a>") < html.index(f">{base}</a>")
    assert f"/privacy/compare/{base}/{number}/" in html
    assert "9.0" not in html


def test_it_keeps_a_permanent_page_for_an_earlier_version(client, db):
    base = current().number
    publish(later(), body=first_version().body.replace("as little", "as little as we can,"))

    response = client.get(f"/privacy/versions/{base}/")

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "This is an earlier version" in html
    assert "as little personal information" in html
    assert "as little as we can," in client.get("/privacy/").content.decode()


def test_it_marks_additions_and_removals_side_by_side(client, db):
    old_body, base, number = first_version().body, current().number, later()
    publish(number, body=old_body.replace("feedback.", "job alerts."))

    response = client.get(f"/privacy/compare/{base}/{number}/")

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "<del>feedback.</del>" in html
    assert "<ins>job alerts.</ins>" in html


def test_it_escapes_markup_in_the_comparison(client, db):
    base, number = current().number, later()
    publish(number, body=first_version().body + '\n\n<img src=x onerror="alert(1)">')

    html = client.get(f"/privacy/compare/{base}/{number}/").content.decode()

    assert "<ins>&lt;img" in html
    assert "<img src=x" not in html


@pytest.mark.parametrize(
    "url",
    [
        "/privacy/versions/9.9/",
        "/privacy/versions/abc/",
        "/privacy/versions/1/",
        "/privacy/versions/1.0.0/",
        "/privacy/versions/%00/",
        "/privacy/versions/1.0%00/",
        "/privacy/versions/" + "9" * 300 + ".0/",
        "/privacy/compare/1.0/1.0/",
        "/privacy/compare/1.0/9.9/",
        "/privacy/compare/abc/1.0/",
        "/privacy/compare/1.0/%00/",
    ],
)
def test_it_answers_bad_or_unknown_versions_with_404(client, db, url):
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_it_does_not_show_a_draft_to_the_public(client, db):
    base, number = current().number, later()
    services.notice_draft_save(
        version=NoticeVersion(number=number, body="Secret draft.", change_summary="Draft.")
    )

    assert client.get(f"/privacy/versions/{number}/").status_code == HTTPStatus.NOT_FOUND
    assert client.get(f"/privacy/compare/{base}/{number}/").status_code == HTTPStatus.NOT_FOUND
    assert "Secret draft" not in client.get("/privacy/").content.decode()


def test_it_shows_each_processor_category_as_active_only_when_configured(client, db, settings):
    settings.SENTRY_DSN = ""
    settings.PRIVACY_AI_PROVIDERS = []

    html = client.get("/privacy/processors/").content.decode()

    for name in ("Hosting", "Error tracking", "Analytics", "Payments", "AI providers"):
        assert name in html
    error_row = html[html.index('id="processor-error_tracking"') :].split("</tr>")[0]
    assert "Not active" in error_row
    hosting_row = html[html.index('id="processor-hosting"') :].split("</tr>")[0]
    assert "<strong>Active</strong>" in hosting_row


def test_it_shows_error_tracking_active_once_a_sentry_dsn_is_set(client, db, settings):
    settings.SENTRY_DSN = "https://key@sentry.example/1"
    settings.PRIVACY_AI_PROVIDERS = ["Anthropic"]

    html = client.get("/privacy/processors/").content.decode()

    error_row = html[html.index('id="processor-error_tracking"') :].split("</tr>")[0]
    assert "<strong>Active</strong>" in error_row
    ai_row = html[html.index('id="processor-ai"') :].split("</tr>")[0]
    assert "Anthropic" in ai_row
    assert "<strong>Active</strong>" in ai_row


@pytest.mark.parametrize(
    "setting, value, active",
    [
        ("CONSENT_ANALYTICS_GA4_ID", "", False),
        ("CONSENT_ANALYTICS_GA4_ID", "G-ABC123XYZ", True),
        ("CONSENT_ANALYTICS_SCRIPT_URL", "https://stats.example/tag.js", True),
    ],
)
def test_it_shows_analytics_active_only_when_a_tag_is_configured(
    client, db, settings, setting, value, active
):
    settings.CONSENT_ANALYTICS_GA4_ID = ""
    settings.CONSENT_ANALYTICS_SCRIPT_URL = ""
    setattr(settings, setting, value)

    html = client.get("/privacy/processors/").content.decode()

    row = html[html.index('id="processor-analytics"') :].split("</tr>")[0]
    assert ("<strong>Active</strong>" in row) is active


def test_it_shows_the_same_processor_states_inside_the_notice(client, db, settings):
    settings.SENTRY_DSN = ""
    before = client.get("/privacy/").content.decode()
    settings.SENTRY_DSN = "https://key@sentry.example/1"
    after = client.get("/privacy/").content.decode()

    assert "<strong>Error tracking</strong> (for example Sentry; not in use" in before
    assert "<strong>Error tracking</strong> (for example Sentry; in use)" in after


def test_it_shows_the_privacy_and_support_addresses_on_the_contact_page(client, db, settings):
    settings.JOBTRAX_PRIVACY_EMAIL = "dpo@example.org"
    settings.JOBTRAX_SUPPORT_EMAIL = "help@example.org"

    response = client.get("/contact/")

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert 'href="mailto:dpo@example.org"' in html
    assert 'href="mailto:help@example.org"' in html


@pytest.mark.parametrize(
    "url",
    [
        "/privacy/",
        "/privacy/versions/",
        "/privacy/versions/1.0/",
        "/privacy/compare/1.0/{later}/",
        "/privacy/processors/",
        "/contact/",
    ],
)
def test_it_keeps_the_pages_free_of_inline_styles_and_scripts(client, db, url):
    number = later()
    publish(number, body=first_version().body + "\n\nA clarification.")

    response = client.get(url.format(later=number))

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert " style=" not in html
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bnonce=)[^>]*>\s*\S", html), "inline script"
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "'nonce-" in policy
