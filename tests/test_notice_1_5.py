"""Notice version 1.5, a material change, tells users about interviews, stages of their own,
the private calendar feed, contacts of third parties and the work-search record."""

import importlib
import re

import pytest

from privacy import services
from privacy.models import NoticeVersion
from privacy.rendering import render_body, unknown_placeholders

pytestmark = pytest.mark.django_db
migration = importlib.import_module("privacy.migrations.0007_notice_1_5")


def text_of(version: NoticeVersion) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", str(render_body(version.body).html)).split())


def test_version_1_5_is_published_and_material():
    version = NoticeVersion.objects.get(number="1.5")

    assert version.material is True and version.is_published
    assert services.notice_current().published_at >= version.published_at


def test_it_says_what_the_tracker_keeps_and_that_contacts_are_other_peoples_data():
    text = text_of(NoticeVersion.objects.get(number="1.5"))

    assert "Interviews you add to a job" in text
    assert "other people's personal data" in text or "other people’s personal data" in text
    assert "never sent to the AI features unless you include them" in text
    assert "Discreet mode" in text and "revoke" in text
    assert "work-search record" in text and "not kept" in text
    assert "30 days" in text  # the tombstones' window, filled in


def test_it_fills_every_placeholder_and_keeps_every_line_of_the_previous_version():
    new = NoticeVersion.objects.get(number="1.5")
    previous = services.notice_previous(new)

    assert unknown_placeholders(new.body) == []
    missing = [line for line in previous.body.splitlines() if line and line not in new.body]
    assert missing == []


def test_the_migration_adds_its_text_even_to_a_notice_without_the_expected_headings():
    body = migration.body_with_tracker("# A notice\n\nSome text.\n")

    assert body.startswith("# A notice\n\nSome text.\n")
    for part in (migration.TRACKER, migration.RETENTION):
        assert part.strip() in body
