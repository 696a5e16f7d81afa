"""Drafting and publishing in the staff console: only with the permission, and a published
version never changes."""

import datetime
import re
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from privacy import services
from privacy.models import NoticeAcknowledgement, NoticeVersion
from tests.conftest import staff_login
from tests.notice_versions import current, later

ADMIN = "/admin/privacy/noticeversion/"


def draft(number: str = "", *, material: bool = False, body: str | None = None):
    number = number or later()
    if body is None:
        body = current().body + "\n\nA clarification."
    return services.notice_draft_save(
        version=NoticeVersion(
            number=number, body=body, change_summary="Clarified wording.", material=material
        )
    )


def grant(user, *codenames: str):
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="privacy", codename__in=codenames)
    )
    return user


@pytest.fixture
def editor(staff_user):
    """Staff who may draft but not publish."""
    return grant(staff_user, "view_noticeversion", "add_noticeversion", "change_noticeversion")


@pytest.fixture
def publisher(staff_user):
    return grant(
        staff_user,
        "view_noticeversion",
        "add_noticeversion",
        "change_noticeversion",
        "delete_noticeversion",
        "publish_noticeversion",
    )


def test_it_publishes_a_draft_as_the_current_version(db):
    version = draft()

    services.notice_publish(version=version)

    version.refresh_from_db()
    assert version.is_published
    assert version.published_at is not None
    assert services.notice_current().number == version.number


def test_it_never_changes_a_published_version(db):
    version = services.notice_publish(version=draft())
    version.body = "Rewritten."

    with pytest.raises(services.NoticeError, match="published and cannot change"):
        services.notice_draft_save(version=version)
    with pytest.raises(services.NoticeError, match="already published"):
        services.notice_publish(version=version)
    version.refresh_from_db()
    assert version.body.endswith("A clarification.")


@pytest.mark.parametrize(
    "number, body, effective, message",
    [
        ("0.9", "Older.", None, "higher than the current version, {current}"),
        ("1.0", "Same.", None, "already exists"),
        ("{later}", "{{ retention.forever }}", None, "Unknown placeholders: retention.forever"),
        ("{later}", "Future.", datetime.date(2099, 1, 1), "later than today"),
        ("{later}", "Past.", datetime.date(2020, 1, 1), "earlier than that of the current"),
        ("v2", "Bad number.", None, "Use a number like 1.0"),
    ],
)
def test_it_refuses_a_version_that_would_mislead(db, number, body, effective, message):
    before = current().number
    number = number.replace("{later}", later())
    message = message.replace("{current}", re.escape(before))
    version = NoticeVersion(number=number, body=body, change_summary="x")
    if effective:
        version.effective_date = effective
    with pytest.raises(Exception, match=message):
        services.notice_publish(version=services.notice_draft_save(version=version))
    assert services.notice_current().number == before


def test_it_orders_version_numbers_numerically(db):
    services.notice_publish(version=draft("1.9"))
    services.notice_publish(version=draft("1.10"))

    assert services.notice_current().number == "1.10"
    with pytest.raises(services.NoticeError, match="higher than the current version, 1.10"):
        services.notice_publish(version=draft("1.2"))


def test_it_lets_staff_with_the_permission_publish_from_the_admin(client, publisher):
    version = draft()
    staff_login(client, publisher)

    confirm = client.get(f"{ADMIN}{version.pk}/publish/")
    response = client.post(f"{ADMIN}{version.pk}/publish/")

    assert confirm.status_code == HTTPStatus.OK
    assert response.status_code == HTTPStatus.FOUND
    version.refresh_from_db()
    assert version.is_published


def test_it_forbids_publishing_to_staff_without_the_permission(client, editor):
    version = draft()
    staff_login(client, editor)

    response = client.post(f"{ADMIN}{version.pk}/publish/")

    assert response.status_code == HTTPStatus.FORBIDDEN
    version.refresh_from_db()
    assert not version.is_published


def test_it_sends_outsiders_to_the_staff_sign_in(client, user):
    version = draft()
    client.force_login(user)

    response = client.post(f"{ADMIN}{version.pk}/publish/")

    assert response.status_code == HTTPStatus.FOUND
    assert "/login/" in response["Location"]
    version.refresh_from_db()
    assert not version.is_published


def test_it_shows_a_published_version_read_only_in_the_admin(client, publisher):
    first = NoticeVersion.objects.get(number="1.0")
    staff_login(client, publisher)

    page = client.get(f"{ADMIN}{first.pk}/change/")
    edit = client.post(
        f"{ADMIN}{first.pk}/change/",
        {
            "number": "1.0",
            "body": "Rewritten.",
            "change_summary": "x",
            "effective_date": "2026-11-29",
        },
    )
    delete = client.post(f"{ADMIN}{first.pk}/delete/", {"post": "yes"})

    assert page.status_code == HTTPStatus.OK
    assert 'name="body"' not in page.content.decode()
    assert edit.status_code == HTTPStatus.FORBIDDEN
    assert delete.status_code == HTTPStatus.FORBIDDEN
    first.refresh_from_db()
    assert first.body != "Rewritten."


def test_it_offers_no_bulk_delete_that_could_remove_published_versions(client, publisher):
    first = NoticeVersion.objects.get(number="1.0")
    staff_login(client, publisher)

    client.post(ADMIN, {"action": "delete_selected", "_selected_action": [first.pk], "post": "yes"})

    assert NoticeVersion.objects.filter(pk=first.pk).exists()


def test_it_lets_staff_draft_preview_and_compare(client, publisher):
    staff_login(client, publisher)
    body = current().body.replace("feedback.", "job alerts.")
    number = later()

    created = client.post(
        f"{ADMIN}add/",
        {
            "number": number,
            "effective_date": timezone.localdate().isoformat(),
            "material": "on",
            "change_summary": "We now send job alerts.",
            "body": body,
        },
    )
    version = NoticeVersion.objects.get(number=number)
    preview = client.get(f"{ADMIN}{version.pk}/preview/")
    compare = client.get(f"{ADMIN}{version.pk}/compare/")

    assert created.status_code == HTTPStatus.FOUND
    assert not version.is_published
    assert "job alerts." in preview.content.decode()
    assert "<ins>job alerts.</ins>" in compare.content.decode()
    assert "<del>feedback.</del>" in compare.content.decode()


def test_it_warns_about_unknown_placeholders_in_the_preview(client, publisher):
    version = draft(body="Kept for {{ retention.forever }}.")
    staff_login(client, publisher)

    html = client.get(f"{ADMIN}{version.pk}/preview/").content.decode()

    assert "Unknown placeholders" in html
    assert "retention.forever" in html


def test_it_counts_acknowledgements_of_the_current_material_version(
    client, publisher, user, other_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        version = services.notice_publish(version=draft("2.0", material=True))
    NoticeAcknowledgement.objects.create(user=user, version=version)
    staff_login(client, publisher)

    html = client.get(f"{ADMIN}acknowledgements/").content.decode()

    assert 'id="acknowledged-count">1<' in html
    assert "2.0" in html


def test_it_keeps_the_staff_pages_from_outsiders(client, user):
    version = draft()
    client.force_login(user)

    for url in (f"{ADMIN}{version.pk}/preview/", f"{ADMIN}acknowledgements/"):
        response = client.get(url)
        assert response.status_code == HTTPStatus.FOUND
        assert "/login/" in response["Location"]


def test_it_keeps_the_staff_pages_from_staff_without_view_permission(client, staff_user):
    version = draft()
    staff_login(client, staff_user)

    for url in (f"{ADMIN}{version.pk}/preview/", f"{ADMIN}acknowledgements/"):
        assert client.get(url).status_code == HTTPStatus.FORBIDDEN
