"""Notice version 1.2, a material change, tells users what importing a job sends and keeps."""

import importlib
import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core import mail

from privacy import services
from privacy.models import NoticeVersion
from privacy.rendering import render_body, unknown_placeholders
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
migration = importlib.import_module("privacy.migrations.0004_notice_1_2")


def text_of(version: NoticeVersion) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", str(render_body(version.body).html)).split())


def test_version_1_2_is_published_on_a_fresh_install_and_later_versions_build_on_it():
    version = NoticeVersion.objects.get(number="1.2")
    current = services.notice_current()

    assert version.material is True
    assert version.is_published
    assert current.published_at >= version.published_at
    assert all(line in current.body for line in migration.IMPORTS.splitlines() if line)


def test_it_says_what_an_import_by_link_sends_and_that_nothing_else_is_kept():
    text = text_of(NoticeVersion.objects.get(number="1.2"))

    assert (
        "When you import by link, JobTrax's servers fetch that page, or the job board's public "
        "API" in text
    )
    assert "sending only the posting's address" in text
    assert "The site sees JobTrax's address, not yours" in text
    assert "Nothing else is kept beyond the job you save." in text
    assert "is deleted after 1 day" in text


def test_it_lists_the_job_boards_as_recipients_of_the_posting_url():
    text = text_of(NoticeVersion.objects.get(number="1.2"))

    assert "4.4 Job boards and sites you import from" in text
    assert "Job boards' public APIs and sites you import from" in text
    assert "Only the posting's address (URL)" in text


def test_it_fills_every_placeholder():
    assert unknown_placeholders(NoticeVersion.objects.get(number="1.2").body) == []


def test_it_keeps_every_line_of_the_previous_version():
    new = NoticeVersion.objects.get(number="1.2")
    previous = services.notice_previous(new)

    missing = [line for line in previous.body.splitlines() if line and line not in new.body]
    assert previous.number != "1.2"
    assert missing == []


def test_it_places_the_new_text_in_its_sections():
    body = NoticeVersion.objects.get(number="1.2").body

    assert body.index("### 1.3 Jobs you import") < body.index("## 2.")
    assert body.index("## 4.") < body.index("### 4.4 Job boards") < body.index("## 5.")
    assert body.index("## 6.") < body.index("- **Job imports**") < body.index("## 7.")


def test_a_user_who_joined_before_it_sees_the_banner_and_gets_one_email(client, settings):
    # A later material version may be in force; the banner and the email are for the latest.
    version = services.notice_current()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    earlier = make_user("early@example.com")
    earlier.date_joined = version.published_at - timedelta(days=3)
    earlier.save(update_fields=["date_joined"])
    client.force_login(earlier)

    latest = services.notice_current()  # 1.2, or a later material version that includes it
    page = client.get("/privacy/")
    assert services.notice_email_stalled_version() == latest.pk
    sent, more = services.notice_email_send_batch(version_id=latest.pk)

    assert page.status_code == HTTPStatus.OK
    assert f"We have updated our privacy notice (version {latest.number})".encode() in (
        page.content
    )
    assert (sent, more) == (1, False)
    assert [m.to for m in mail.outbox] == [["early@example.com"]]


def test_the_processors_page_lists_the_job_boards_as_recipients(client):
    response = client.get("/privacy/processors/")

    assert response.status_code == HTTPStatus.OK
    assert b'id="recipient-job_boards"' in response.content
    assert b'id="processor-job_boards"' not in response.content
    assert b"Only the posting&#x27;s address (URL)" in response.content


def test_the_migration_adds_its_text_even_to_a_notice_without_the_expected_headings():
    body = migration.body_with_imports("# A notice\n\nSome text.\n")

    assert body.startswith("# A notice\n\nSome text.\n")
    for part in (migration.IMPORTS, migration.RECIPIENTS, migration.RETENTION):
        assert part.strip() in body
