"""Support messages in the staff console: who handles which, replies, closing, requests."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from rights.models import AuditRecord, DataSubjectRequest
from support.models import SupportMessage

LIST = "/admin/support/supportmessage/"


def make_message(topic="support", email="visitor@example.org", **extra) -> SupportMessage:
    return SupportMessage.objects.create(
        topic=topic, email=email, message="Please help with my account.", **extra
    )


def change(message) -> str:
    return reverse("admin:support_supportmessage_change", args=[message.pk])


def reply_url(message) -> str:
    return reverse("admin:support_supportmessage_reply", args=[message.pk])


@pytest.mark.parametrize(
    ("role", "expected"),
    [("support", HTTPStatus.OK), ("privacy", HTTPStatus.OK), ("ops", HTTPStatus.FORBIDDEN)],
)
def test_it_opens_the_list_to_support_roles_only(as_role, client, role, expected):
    as_role(role)
    assert client.get(LIST).status_code == expected


def test_it_masks_reply_to_addresses_in_the_list(as_role, client, db):
    make_message(email="jane.doe@example.org")
    as_role("support")

    html = client.get(LIST).content.decode()

    assert "j***@example.org" in html
    assert "jane.doe@example.org" not in html


def test_it_leaves_messages_about_privacy_to_the_privacy_officer(as_role, client, db):
    general = make_message(topic="sales")
    private = make_message(topic="privacy", email="subject@example.org")

    as_role("support")
    listed = client.get(LIST).context["cl"].result_list
    assert list(listed) == [general]
    assert client.get(change(private)).status_code == HTTPStatus.FOUND  # "does not exist"
    assert client.get(reply_url(private)).status_code == HTTPStatus.NOT_FOUND


def test_it_shows_the_privacy_officer_every_topic(as_role, client, db):
    make_message(topic="sales")
    make_message(topic="privacy")
    as_role("privacy")

    assert len(client.get(LIST).context["cl"].result_list) == 2


def test_it_audits_opening_a_message_with_the_address_in_full(as_role, client, user):
    message = make_message(user=user, email=user.email)
    staff = as_role("support")

    response = client.get(change(message))

    assert response.status_code == HTTPStatus.OK
    assert user.email in response.content.decode()
    record = AuditRecord.objects.get(actor=staff)
    assert (record.action, record.target_user_id) == ("viewed_data", user.pk)
    assert "@" not in record.note


def test_it_sends_a_reply_and_records_that_it_went_but_not_what_it_said(as_role, client, db):
    message = make_message()
    as_role("support")

    response = client.post(
        reply_url(message),
        {"subject": "About your account", "body": "Open Profile, then Location. Unique-text-42."},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["visitor@example.org"]
    assert "Unique-text-42" in sent.body
    message.refresh_from_db()
    assert message.status == SupportMessage.Status.ANSWERED
    assert message.replies_sent == 1
    assert message.answered_at is not None and message.last_reply_at is not None
    stored = [str(getattr(message, f.attname)) for f in SupportMessage._meta.concrete_fields]
    assert not any("Unique-text-42" in value for value in stored)


def test_it_counts_each_reply_and_can_close_with_the_last(as_role, client, db):
    message = make_message()
    as_role("support")
    client.post(reply_url(message), {"subject": "One", "body": "First."})
    client.post(reply_url(message), {"subject": "Two", "body": "Second.", "close": "on"})

    message.refresh_from_db()
    assert (message.replies_sent, message.status) == (2, SupportMessage.Status.CLOSED)
    assert message.closed_at is not None
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("data", [{"subject": "", "body": "x"}, {"subject": "x", "body": ""}])
def test_it_refuses_an_empty_reply(as_role, client, db, data):
    message = make_message()
    as_role("support")

    response = client.post(reply_url(message), data)

    assert response.status_code == HTTPStatus.OK
    assert b"This field is required" in response.content
    assert mail.outbox == []
    message.refresh_from_db()
    assert message.replies_sent == 0


def test_it_closes_a_message(as_role, client, db):
    message = make_message()
    as_role("support")

    client.post(reverse("admin:support_supportmessage_close", args=[message.pk]))

    message.refresh_from_db()
    assert message.status == SupportMessage.Status.CLOSED
    assert message.closed_at is not None


def test_it_refuses_ops_a_crafted_reply(as_role, client, db):
    message = make_message()
    as_role("ops")

    response = client.post(reply_url(message), {"subject": "x", "body": "y"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert mail.outbox == []


@pytest.mark.parametrize("role", ["support", "privacy"])
def test_it_lets_no_role_edit_add_or_delete_a_message(as_role, client, db, role):
    message = make_message()
    as_role(role)

    edit = client.post(change(message), {"topic": "sales", "email": "x@example.org"})
    delete = client.post(
        reverse("admin:support_supportmessage_delete", args=[message.pk]), {"post": "yes"}
    )
    add = client.get(reverse("admin:support_supportmessage_add"))

    assert edit.status_code == HTTPStatus.FORBIDDEN
    assert delete.status_code == HTTPStatus.FORBIDDEN
    assert add.status_code == HTTPStatus.FORBIDDEN
    message.refresh_from_db()
    assert (message.topic, message.email) == ("support", "visitor@example.org")


def test_it_turns_a_privacy_message_into_a_request_in_one_action(as_role, client, db):
    received = timezone.now() - timedelta(days=3)
    message = make_message(topic="privacy", email="subject@example.org", created_at=received)
    officer = as_role("privacy")

    response = client.post(
        reverse("admin:support_supportmessage_to_request", args=[message.pk]), {"kind": "export"}
    )

    dsr = DataSubjectRequest.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("admin:rights_datasubjectrequest_change", args=[dsr.pk])
    assert (dsr.kind, dsr.subject_email, dsr.details) == (
        "export",
        "subject@example.org",
        "Please help with my account.",
    )
    assert dsr.received_at == received  # the legal deadline counts from the message
    assert dsr.status == DataSubjectRequest.Status.RECEIVED
    message.refresh_from_db()
    assert (message.request, message.status) == (dsr, SupportMessage.Status.CLOSED)
    audit = AuditRecord.objects.get(action="opened_request")
    assert (audit.actor, audit.request) == (officer, dsr)
    assert "@" not in audit.note


def test_it_links_the_request_to_the_account_the_address_belongs_to(as_role, client, user):
    message = make_message(topic="privacy", email=user.email)
    as_role("privacy")

    client.post(
        reverse("admin:support_supportmessage_to_request", args=[message.pk]),
        {"kind": "deletion"},
    )

    assert DataSubjectRequest.objects.get().user == user


def test_it_opens_only_one_request_per_message(as_role, client, db):
    message = make_message(topic="privacy")
    as_role("privacy")
    url = reverse("admin:support_supportmessage_to_request", args=[message.pk])

    client.post(url, {"kind": "access"})
    client.post(url, {"kind": "access"})

    assert DataSubjectRequest.objects.count() == 1


def test_it_refuses_to_make_a_request_of_a_message_on_another_topic(as_role, client, db):
    message = make_message(topic="feedback")
    as_role("privacy")

    client.post(
        reverse("admin:support_supportmessage_to_request", args=[message.pk]), {"kind": "access"}
    )

    assert not DataSubjectRequest.objects.exists()


def test_it_refuses_support_staff_the_request_action(as_role, client, db):
    message = make_message(topic="privacy")
    as_role("support")

    response = client.post(
        reverse("admin:support_supportmessage_to_request", args=[message.pk]), {"kind": "access"}
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not DataSubjectRequest.objects.exists()
