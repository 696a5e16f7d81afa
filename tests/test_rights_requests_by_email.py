"""Requests by email (notice section 9): the support role restricts, lifts a restriction, records
an objection and corrects the address of a verified request's account, through the services the
self-service pages use, each audited; nobody else can."""

import re
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from rights import services
from rights.models import AuditRecord, DataSubjectRequest
from tests.conftest import make_user


def emailed_request(user, kind: str, *, verified: bool = True) -> DataSubjectRequest:
    dsr = services.request_create(kind=kind, channel="email", subject_email=user.email)
    if verified:
        dsr.verified_at = timezone.now()
        dsr.verification_method = "code"
        dsr.status = DataSubjectRequest.Status.IN_PROGRESS
        dsr.save()
    return dsr


def act(client, dsr, action: str, **data):
    url = reverse("admin:rights_datasubjectrequest_act", args=[dsr.pk])
    return client.post(url, {"action": action, "reason": "", "code": "", **data})


def audited(action: str, actor, user) -> AuditRecord:
    return AuditRecord.objects.get(action=action, actor=actor, target_user_id=user.pk)


def test_support_restricts_processing_for_a_verified_request(as_role, client, user):
    member = as_role("support")
    dsr = emailed_request(user, "restriction")

    response = act(client, dsr, "restrict")

    assert response.status_code == HTTPStatus.FOUND
    user.refresh_from_db()
    assert user.processing_restricted
    dsr.refresh_from_db()
    assert dsr.status == DataSubjectRequest.Status.COMPLETED
    assert audited("restricted", member, user).request_id == dsr.pk


def test_support_lifts_a_restriction_and_the_user_is_told_first(as_role, client, user, mailoutbox):
    member = as_role("support")
    services.restriction_apply(user=user)
    dsr = emailed_request(user, "restriction")

    act(client, dsr, "lift_restriction", reason="You asked us to lift it.")

    user.refresh_from_db()
    assert not user.processing_restricted
    assert [m.to for m in mailoutbox] == [[user.email]]
    assert audited("lifted_restriction", member, user).request_id == dsr.pk


def test_support_records_an_objection(as_role, client, user):
    member = as_role("support")
    dsr = emailed_request(user, "objection")

    act(client, dsr, "record_objection")

    user.refresh_from_db()
    assert user.processing_objected_at is not None
    assert audited("recorded_objection", member, user).request_id == dsr.pk


def test_support_corrects_the_address_once_the_new_one_is_verified(
    as_role, client, user, mailoutbox
):
    member = as_role("support")
    dsr = emailed_request(user, "correction")

    act(client, dsr, "correct_email", new_email="alice.new@example.com")

    user.refresh_from_db()
    assert user.email == "alice@example.com", "replaced before the new address was verified"
    [verification] = [m for m in mailoutbox if m.to == ["alice.new@example.com"]]
    record = audited("started_email_correction", member, user)
    assert "@" not in record.note
    key_path = re.search(r"/accounts/confirm-email/[^/\s]+/", verification.body).group(0)

    client.logout()
    client.post(key_path)

    user.refresh_from_db()
    assert user.email == "alice.new@example.com"
    assert EmailAddress.objects.get(user=user, email="alice.new@example.com").verified


def test_support_is_told_when_the_new_address_belongs_to_another_account(
    as_role, client, user, other_user, mailoutbox
):
    as_role("support")
    dsr = emailed_request(user, "correction")

    response = act(client, dsr, "correct_email", new_email=other_user.email)

    assert "cannot be used" in client.get(response["Location"]).content.decode()
    assert mailoutbox == []
    assert not AuditRecord.objects.filter(action="started_email_correction").exists()


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("restrict", {}),
        ("record_objection", {}),
        ("correct_email", {"new_email": "alice.new@example.com"}),
    ],
)
def test_nothing_happens_before_the_subject_is_verified(
    as_role, client, user, mailoutbox, action, data
):
    as_role("support")
    dsr = emailed_request(user, "objection", verified=False)

    response = act(client, dsr, action, **data)

    assert "Verify the subject" in client.get(response["Location"]).content.decode()
    user.refresh_from_db()
    assert (user.processing_restricted_at, user.processing_objected_at) == (None, None)
    assert user.email == "alice@example.com"
    assert not EmailAddress.objects.filter(email="alice.new@example.com").exists()
    assert mailoutbox == []


ACTIONS = [
    ("restrict", {}),
    ("lift_restriction", {"reason": "asked"}),
    ("record_objection", {}),
    ("correct_email", {"new_email": "alice.new@example.com"}),
]


def assert_unchanged(user, restricted_at):
    user.refresh_from_db()
    assert user.processing_restricted_at == restricted_at
    assert user.processing_objected_at is None
    assert not EmailAddress.objects.filter(email="alice.new@example.com").exists()
    assert not AuditRecord.objects.exclude(action="viewed_data").exists()


@pytest.mark.parametrize(("action", "data"), ACTIONS)
def test_ops_is_refused_every_action(as_role, client, user, action, data):
    if action == "lift_restriction":
        services.restriction_apply(user=user)
    restricted_at = type(user).objects.get(pk=user.pk).processing_restricted_at
    as_role("ops")
    dsr = emailed_request(user, "objection")

    assert act(client, dsr, action, **data).status_code == HTTPStatus.FORBIDDEN
    assert_unchanged(user, restricted_at)


@pytest.mark.parametrize(("action", "data"), ACTIONS)
def test_a_signed_in_user_who_is_not_staff_is_refused(client, user, action, data):
    stranger = make_user("mallory@example.com")
    client.force_login(stranger)
    dsr = emailed_request(user, "objection")

    response = act(client, dsr, action, **data)

    assert response.status_code == HTTPStatus.FOUND
    assert "/login/" in response["Location"]
    assert_unchanged(user, None)


@pytest.mark.parametrize(("action", "data"), ACTIONS)
def test_an_anonymous_visitor_is_sent_to_sign_in(client, user, action, data):
    dsr = emailed_request(user, "objection")

    response = act(client, dsr, action, **data)

    assert response.status_code == HTTPStatus.FOUND
    assert "/login/" in response["Location"]
    assert_unchanged(user, None)
