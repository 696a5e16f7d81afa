"""Version 1.1 of the notice, shipped by a data migration as a material change."""

import re
from dataclasses import replace
from datetime import timedelta

import pytest
from django.core import mail

from jobtrax import datamap
from privacy import services, tasks
from privacy.models import NoticeDelivery, NoticeVersion
from privacy.rendering import render_body, unknown_placeholders
from tests.conftest import make_user

BANNER = "We have updated our privacy notice"


@pytest.fixture
def version(db) -> NoticeVersion:
    return NoticeVersion.objects.get(number="1.1")


def text(version: NoticeVersion) -> str:
    return re.sub(r"<[^>]+>", " ", str(render_body(version.body).html))


def section(version: NoticeVersion, title: str) -> str:
    html = str(render_body(version.body).html)
    start = html.index(title)
    end = html.find("<h2", start)
    return re.sub(r"<[^>]+>", " ", html[start : end if end != -1 else None])


def test_it_is_a_published_material_change_after_1_0(version):
    assert version.is_published and version.material
    first = NoticeVersion.objects.get(number="1.0")
    assert version.published_at > first.published_at
    assert services.notice_previous(version) == first


def test_it_uses_only_placeholders_the_site_knows(version):
    assert unknown_placeholders(version.body) == []
    assert "{{" not in text(version)


def test_it_tells_the_tracker_the_support_form_and_their_retention(version, settings):
    settings.RETENTION_SUPPORT_MESSAGE_DAYS = 200
    settings.RETENTION_REQUEST_DAYS = 800
    settings.RETENTION_AUDIT_RECORD_DAYS = 900

    words = " ".join(text(version).split())

    assert "Jobs you track : the postings you save, your notes, stages and dates." in words
    assert "through our support form" in words
    assert "deleted 200 days after they are closed" in words
    assert "is deleted 800 days after it is closed" in words
    assert "other staff actions on personal data for 900 days" in words


def test_it_says_how_long_archived_jobs_are_kept(version, settings):
    datamap.policy("archived_jobs")  # the tracker's policy backs the figure
    settings.RETENTION_ARCHIVED_JOB_DAYS = 400

    assert "deleted 400 days after you archive it" in " ".join(text(version).split())


def test_it_lists_every_ccpa_category_and_kind_of_data_from_the_map(version):
    californians = " ".join(section(version, "Additional information for California").split())

    for kind in datamap.kinds():
        if kind.get_model() is None:
            continue
        assert kind.ccpa_category in californians, kind.name
        assert kind.title[1:] in californians, kind.name


def test_a_newly_declared_kind_of_data_shows_up_in_section_10(version, monkeypatch):
    account = next(kind for kind in datamap.kinds() if kind.name == "account")
    monkeypatch.setitem(
        datamap._kinds,  # noqa: SLF001 - a kind declared for this test only
        "lucky_numbers",
        replace(account, name="lucky_numbers", title="Lucky numbers", ccpa_category="Inferences"),
    )

    californians = " ".join(section(version, "Additional information for California").split())

    assert "Inferences : lucky numbers." in californians


def test_it_shows_the_banner_to_accounts_older_than_it_and_emails_them_once(
    client, version, django_capture_on_commit_callbacks
):
    before = make_user("early@example.com", date_joined=version.published_at - timedelta(days=3))
    make_user("late@example.com")
    client.force_login(before)

    assert BANNER in client.get("/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        tasks.notice_email_resume.delay()
        tasks.notice_email_resume.delay()

    assert [message.to for message in mail.outbox] == [["early@example.com"]]
    assert NoticeDelivery.objects.get().version == version


def test_it_shows_no_banner_to_an_account_made_after_it(client, version):
    client.force_login(make_user("late@example.com"))

    assert BANNER not in client.get("/").content.decode()
