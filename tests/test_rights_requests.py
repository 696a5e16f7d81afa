"""Requests handled by staff: the queue, computed deadlines, identity checks and the audit."""

import re
from datetime import UTC, datetime
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.roles import PRIVACY_OFFICER, SUPPORT, roles_sync
from logs_retention.models import SecurityEvent
from rights import services
from rights.models import AuditRecord, DataExport, DataSubjectRequest
from tests.conftest import make_user, staff_login


def _member(role: str, email: str):
    roles_sync()
    member = make_user(email, is_staff=True)
    member.groups.add(Group.objects.get(name=role))
    return member


@pytest.fixture
def support(db):
    return _member(SUPPORT, "support-1@example.com")


@pytest.fixture
def officer(db):
    return _member(PRIVACY_OFFICER, "officer-1@example.com")


@pytest.fixture
def support_client(client, support):
    staff_login(client, support)
    return client


@pytest.fixture
def email_request(user):
    return services.request_create(
        kind="export", channel="email", subject_email="alice@example.com"
    )


def _act(client, dsr, action, **data):
    url = reverse("admin:rights_datasubjectrequest_act", args=[dsr.pk])
    return client.post(url, {"action": action, **data}, follow=True)


def test_it_finds_the_account_and_computes_the_deadline_when_staff_log_an_email(
    support_client, user
):
    response = support_client.post(
        reverse("admin:rights_datasubjectrequest_add"),
        {
            "kind": "deletion",
            "subject_email": "ALICE@example.com",
            "channel": "email",
            "regime": "",
            "details": "Please delete me",
            "received_at_0": "2026-01-31",
            "received_at_1": "10:00:00",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    dsr = DataSubjectRequest.objects.get()
    assert dsr.user == user and dsr.regime == "gdpr" and dsr.status == "received"
    assert str(dsr.due_on) == "2026-02-28"
    assert not dsr.is_verified


def test_it_picks_ccpa_for_a_californian_account(user):
    user.country, user.region = "US", "CA"
    user.save()
    dsr = services.request_create(kind="access", channel="email", subject_email=user.email)
    assert dsr.regime == "ccpa"
    assert (dsr.due_on - timezone.localdate(dsr.received_at)).days == 45
    assert dsr.acknowledge_by is not None


def test_it_shows_days_left_and_highlights_due_soon_and_overdue(support_client, user):
    now = timezone.now()
    services.request_create(
        kind="access", channel="email", subject_email="x@example.com",
        received_at=now - timezone.timedelta(days=40),
    )  # fmt: skip
    services.request_create(
        kind="access", channel="email", subject_email="y@example.com",
        received_at=now - timezone.timedelta(days=26),
    )  # fmt: skip
    services.request_create(kind="access", channel="email", subject_email="z@example.com")
    body = support_client.get(reverse("admin:rights_datasubjectrequest_changelist")).content
    body = body.decode()
    assert 'class="rights-overdue"' in body and "overdue" in body
    assert 'class="rights-due-soon"' in body
    assert 'class="rights-ok"' in body


@pytest.mark.parametrize(
    ("kind", "action"), [("export", "run_export"), ("deletion", "run_erasure")]
)
def test_it_refuses_an_export_or_erasure_for_an_unverified_request(
    support_client, user, kind, action
):
    dsr = services.request_create(kind=kind, channel="email", subject_email=user.email)
    response = _act(support_client, dsr, action)
    assert "Verify the subject" in response.content.decode()
    assert not DataExport.objects.exists()
    user.refresh_from_db()
    assert user.is_active
    dsr.refresh_from_db()
    assert dsr.erase_after is None
    assert not AuditRecord.objects.filter(action__in=["ran_export", "erased"]).exists()


def test_it_verifies_with_the_emailed_one_time_code(
    support_client, email_request, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    _act(support_client, email_request, "send_code")
    message = mail.outbox[-1]
    code = re.search(r"code: (\d{8})", message.body).group(1)
    email_request.refresh_from_db()
    assert email_request.status == "identity_pending"
    assert code not in email_request.code_hash  # kept hashed
    response = _act(support_client, email_request, "verify_code", code="00000000")
    assert "wrong" in response.content.decode()
    _act(support_client, email_request, "verify_code", code=code)
    email_request.refresh_from_db()
    assert email_request.is_verified and email_request.verification_method == "code"
    with django_capture_on_commit_callbacks(execute=True):
        _act(support_client, email_request, "run_export")
    assert DataExport.objects.get().status == "ready"
    email_request.refresh_from_db()
    assert email_request.status == "completed"


def test_it_voids_a_code_after_five_wrong_tries(support, email_request):
    services.request_send_code(dsr=email_request, actor=support)
    code = re.search(r"code: (\d{8})", mail.outbox[-1].body).group(1)
    for _ in range(5):
        with pytest.raises(services.RightsError):
            services.request_verify_code(dsr=email_request, actor=support, code="12345678")
    with pytest.raises(services.RightsError, match="Too many"):
        services.request_verify_code(dsr=email_request, actor=support, code=code)


def test_it_verifies_when_the_subject_follows_the_emailed_link(client, support, email_request):
    services.request_send_code(dsr=email_request, actor=support)
    link = re.search(r"http://\S+/data/requests/verify/\S+/", mail.outbox[-1].body).group(0)
    path = link.replace("http://localhost:8000", "")
    assert client.get(path).status_code == HTTPStatus.OK
    email_request.refresh_from_db()
    assert not email_request.is_verified  # a GET alone does nothing
    assert client.post(path).status_code == HTTPStatus.OK
    email_request.refresh_from_db()
    assert email_request.is_verified and email_request.verification_method == "email_link"


@pytest.mark.parametrize("token", ["forged", "eyJyIjoxfQ:1abc:xyz"])
def test_it_explains_a_bad_verification_link(client, token):
    response = client.post(reverse("rights:request_verify", args=[token]))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "invalid or has expired" in response.content.decode()


def test_it_extends_a_gdpr_deadline_with_a_reason_sent_to_the_subject(officer, user):
    received = datetime(2026, 1, 31, 9, tzinfo=UTC)
    dsr = services.request_create(
        kind="access", channel="email", subject_email=user.email, received_at=received
    )
    with pytest.raises(services.RightsError, match="reason"):
        services.request_extend(dsr=dsr, actor=officer, amount=1, reason="")
    services.request_extend(dsr=dsr, actor=officer, amount=2, reason="Many records to check")
    assert str(dsr.due_on) == "2026-04-30"
    assert "Many records to check" in mail.outbox[-1].body
    with pytest.raises(services.RightsError, match="at most 2"):
        services.request_extend(dsr=dsr, actor=officer, amount=1, reason="more")


def test_it_lets_only_the_privacy_officer_extend(support_client, email_request):
    response = support_client.post(
        reverse("admin:rights_datasubjectrequest_act", args=[email_request.pk]),
        {"action": "extend", "amount": "1", "reason": "busy"},
    )
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_it_denies_with_a_reason(support, email_request):
    services.request_deny(dsr=email_request, actor=support, reason="Manifestly unfounded")
    assert email_request.status == "denied"
    assert "Manifestly unfounded" in mail.outbox[-1].body


def test_it_audits_a_staff_view_of_a_users_data_without_email_addresses(
    support_client, support, email_request
):
    url = reverse("admin:rights_datasubjectrequest_subject_data", args=[email_request.pk])
    response = support_client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert "alice@example.com" in response.content.decode()
    record = AuditRecord.objects.get(action="viewed_data")
    assert record.actor == support and record.request == email_request
    assert record.target_user_id == email_request.user_id
    assert SecurityEvent.objects.filter(kind="staff_action", user=support).exists()


def test_it_keeps_email_addresses_out_of_audit_notes(officer, user):
    services.legal_hold_place(user=user, actor=officer, reason="asked by bob@example.com")
    record = AuditRecord.objects.get()
    assert "@" not in record.note and "[address removed]" in record.note


def test_it_marks_a_reported_minor_and_erases_with_no_grace(
    support, email_request, django_capture_on_commit_callbacks
):
    from accounts.models import User
    from rights.models import DeletionReceipt

    user_id = email_request.user_id
    with django_capture_on_commit_callbacks(execute=True):
        services.account_mark_minor(dsr=email_request, actor=support, note="report from parent")
    assert not User.objects.filter(pk=user_id).exists()
    assert DeletionReceipt.objects.get().reason == "minor"
    assert AuditRecord.objects.filter(action="marked_minor", actor=support).exists()


def test_it_shows_audit_records_read_only(client, officer, support):
    services.audit_record(actor=support, action="viewed_data", target_user_id=1)
    staff_login(client, officer)
    record = AuditRecord.objects.get()
    url = reverse("admin:rights_auditrecord_change", args=[record.pk])
    assert client.get(url).status_code == HTTPStatus.OK
    client.post(url, {"action": "erased", "note": "tampered"})
    record.refresh_from_db()
    assert record.action == "viewed_data"
    assert (
        client.post(
            reverse("admin:rights_auditrecord_delete", args=[record.pk]), {"post": "yes"}
        ).status_code
        == HTTPStatus.FORBIDDEN
    )
    assert AuditRecord.objects.count() == 1


def test_it_hides_the_queue_from_staff_without_the_role(client, staff_user):
    staff_login(client, staff_user)
    response = client.get(reverse("admin:rights_datasubjectrequest_changelist"))
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_it_lifts_a_restriction_only_after_emailing_the_user(officer, user, settings):
    services.restriction_apply(user=user)
    settings.EMAIL_BACKEND = "tests.test_rights_requests.BrokenMail"
    with pytest.raises(OSError):
        services.restriction_lift(user=user, actor=officer, reason="Accuracy verified")
    user.refresh_from_db()
    assert user.processing_restricted_at is not None  # not lifted without telling them
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with pytest.raises(services.RightsError):
        services.restriction_lift(user=user, actor=officer, reason=" ")
    services.restriction_lift(user=user, actor=officer, reason="Accuracy verified")
    user.refresh_from_db()
    assert user.processing_restricted_at is None
    assert "Accuracy verified" in mail.outbox[-1].body
    assert AuditRecord.objects.filter(action="lifted_restriction").exists()


class BrokenMail:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("SMTP down")


def test_it_starts_the_erasure_of_a_verified_deletion_request(support, user):
    dsr = services.request_create(kind="deletion", channel="email", subject_email=user.email)
    services.request_send_code(dsr=dsr, actor=support)
    code = re.search(r"code: (\d{8})", mail.outbox[-1].body).group(1)
    services.request_verify_code(dsr=dsr, actor=support, code=code)
    services.request_run_erasure(dsr=dsr, actor=support)
    user.refresh_from_db()
    dsr.refresh_from_db()
    assert not user.is_active and dsr.erase_after is not None
    assert "will be deleted" in mail.outbox[-1].subject  # with the cancel link
    assert AuditRecord.objects.filter(action="erased", request=dsr).exists()


def test_it_runs_an_erasure_only_for_a_deletion_request(support, email_request):
    email_request.verified_at = timezone.now()
    email_request.save()
    with pytest.raises(services.RightsError, match="deletion request"):
        services.request_run_erasure(dsr=email_request, actor=support)


def test_it_offers_the_staff_actions_on_the_request_page(support_client, email_request):
    url = reverse("admin:rights_datasubjectrequest_change", args=[email_request.pk])
    body = support_client.get(url).content.decode()
    assert reverse("admin:rights_datasubjectrequest_act", args=[email_request.pk]) in body
    assert reverse("admin:rights_datasubjectrequest_subject_data", args=[email_request.pk]) in body


def test_it_refuses_staff_actions_to_an_outsider(client_logged_in, email_request):
    url = reverse("admin:rights_datasubjectrequest_act", args=[email_request.pk])
    response = client_logged_in.post(url, {"action": "send_code"})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("admin:login"))
    assert not mail.outbox


def test_it_answers_404_for_an_unknown_request_in_the_admin(support_client):
    url = reverse("admin:rights_datasubjectrequest_act", args=[999999])
    assert support_client.post(url, {"action": "send_code"}).status_code == HTTPStatus.NOT_FOUND


def test_it_highlights_a_ccpa_acknowledgement_not_yet_sent(support_client, user):
    user.country, user.region = "US", "CA"
    user.save()
    received = timezone.now() - timezone.timedelta(days=20)
    dsr = services.request_create(
        kind="access", channel="email", subject_email=user.email, received_at=received
    )
    body = support_client.get(reverse("admin:rights_datasubjectrequest_changelist")).content
    assert f'<span class="rights-overdue">{dsr.acknowledge_by:%Y-%m-%d}</span>' in body.decode()


def test_it_words_the_location_source_for_staff_on_a_users_data(
    support_client, support, email_request
):
    from accounts.models import User

    User.objects.filter(pk=email_request.user_id).update(country="GB", location_source="chosen")
    url = reverse("admin:rights_datasubjectrequest_subject_data", args=[email_request.pk])

    body = support_client.get(url).content.decode()

    assert "Chosen by the user" in body
    assert "Chosen by you" not in body
