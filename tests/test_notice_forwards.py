"""Notice version 1.4, a material change, says what a forwarded email gives and what is kept."""

import importlib
import re

import pytest

from privacy import services
from privacy.models import NoticeVersion
from privacy.rendering import render_body, unknown_placeholders

pytestmark = pytest.mark.django_db
migration = importlib.import_module("privacy.migrations.0006_notice_1_4")


def text_of(version: NoticeVersion) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", str(render_body(version.body).html)).split())


def test_version_1_4_is_a_published_material_change():
    version = NoticeVersion.objects.get(number="1.4")

    assert version.material is True
    assert version.is_published
    assert services.notice_current().number >= "1.4"


def test_it_says_what_is_read_what_is_kept_and_for_how_long():
    text = text_of(NoticeVersion.objects.get(number="1.4"))

    assert "1.4 Emails you forward" in text
    assert "only your own verified email addresses" in text
    assert "dropped without a reply" in text
    assert "SPF, DKIM or DMARC" in text
    assert "The email itself is never stored" in text
    assert "up to 300 characters" in text
    assert "is deleted after 14 days" in text


def test_it_fills_every_placeholder_and_keeps_the_previous_text():
    new = NoticeVersion.objects.get(number="1.4")
    previous = services.notice_previous(new)

    assert unknown_placeholders(new.body) == []
    assert [line for line in previous.body.splitlines() if line and line not in new.body] == []


def test_the_migration_adds_its_text_even_to_a_notice_without_the_expected_headings():
    body = migration.body_with_forwards("# A notice\n\nSome text.\n")

    assert body.startswith("# A notice\n\nSome text.\n")
    assert migration.FORWARDS.strip() in body
    assert migration.RETENTION.strip() in body
