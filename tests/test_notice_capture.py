"""Notice version 1.3 says what the extension, sharing from a phone and the API process, and
how long access tokens are kept. Not material: it adds processing only for those who use them."""

import importlib
import re

import pytest

from privacy import services
from privacy.models import NoticeVersion
from privacy.rendering import render_body, unknown_placeholders

pytestmark = pytest.mark.django_db
migration = importlib.import_module("privacy.migrations.0005_notice_1_3")


def text_of(version: NoticeVersion) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", str(render_body(version.body).html)).split())


def test_version_1_3_is_published_and_not_material_and_later_versions_keep_it():
    version = NoticeVersion.objects.get(number="1.3")
    current = services.notice_current()

    assert version.material is False
    assert version.is_published
    assert "Nothing else leaves your browser" in text_of(current)


def test_it_says_nothing_but_the_clicked_pages_posting_leaves_the_browser():
    text = text_of(NoticeVersion.objects.get(number="1.3"))

    assert "reads a page only when you click its button on that page" in text
    assert "Nothing else leaves your browser" in text
    assert "not your browsing history, not the pages you visit" in text


def test_it_names_the_tokens_what_is_kept_and_their_retention():
    text = text_of(NoticeVersion.objects.get(number="1.3"))

    assert "We keep only a fingerprint (a one-way hash) of the token itself" in text
    assert "are deleted 30 days after they expire or you revoke them" in text
    assert "Access tokens: deleted 30 days after they expire" in text


def test_it_fills_every_placeholder():
    assert unknown_placeholders(NoticeVersion.objects.get(number="1.3").body) == []


def test_it_keeps_every_line_of_the_previous_version():
    new = NoticeVersion.objects.get(number="1.3")
    previous = services.notice_previous(new)

    missing = [line for line in previous.body.splitlines() if line and line not in new.body]
    assert previous.number == "1.2"
    assert missing == []


def test_it_places_the_new_text_in_its_sections():
    body = NoticeVersion.objects.get(number="1.3").body

    assert body.index("### 1.3 Jobs you import") < body.index("### 1.4 The browser extension")
    assert body.index("### 1.4 The browser extension") < body.index("## 2.")
    assert body.index("- **Job imports**") < body.index("- **Access tokens**")
    assert body.index("- **Access tokens**") < body.index("## 7.")


def test_the_migration_adds_its_text_even_to_a_notice_without_the_expected_headings():
    body = migration.body_with_capture("# A notice\n\nSome text.\n")

    assert body.startswith("# A notice\n\nSome text.\n")
    for part in (migration.CAPTURE, migration.RETENTION):
        assert part.strip() in body
