"""Deletion: reauthentication and confirmation, deactivation at once, grace period, erasure."""

import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import KnownCountry, User
from logs_retention.models import RequestLog, SecurityEvent
from rights import services
from rights.models import AuditRecord, DataSubjectRequest, DeletionReceipt
from rights.tasks import account_erase_due


@pytest.fixture
def reauthed(client_logged_in, password):
    client_logged_in.post(reverse("account_reauthenticate"), {"password": password})
    return client_logged_in


def _cancel_link() -> str:
    body = next(m.body for m in mail.outbox if "will be deleted" in m.subject)
    return re.search(r"http://\S+/data/delete/cancel/\S+/", body).group(0)


def _log(user, **extra) -> RequestLog:
    values = {
        "created_at": timezone.now(),
        "method": "GET",
        "route": "home",
        "status": 200,
        "duration_ms": 5,
        "user": user,
        "ip": "81.2.69.142",
        "ip_network": "81.2.69.0",
        "browser_family": "Firefox",
        "browser_major": "128",
    }
    values.update(extra)
    return RequestLog.objects.create(**values)


def test_it_asks_for_reauthentication_first(client_logged_in, user):
    response = client_logged_in.get(reverse("rights:deletion_request"))
    assert response.status_code == HTTPStatus.FOUND
    assert reverse("account_reauthenticate") in response["Location"]


def test_it_needs_the_explicit_confirmation(reauthed, user):
    response = reauthed.post(reverse("rights:deletion_request"), {})
    assert response.status_code == HTTPStatus.OK
    assert "This field is required" in response.content.decode()
    user.refresh_from_db()
    assert user.is_active


def test_it_deactivates_signs_out_everywhere_and_emails_a_cancel_link(reauthed, user, client):
    # a second signed-in browser
    other_browser = client.__class__()
    other_browser.force_login(user)
    other_browser.get(reverse("rights:your_data"))
    assert UserSession.objects.filter(user=user).exists()

    response = reauthed.post(reverse("rights:deletion_request"), {"confirm": "on"})
    assert response.status_code == HTTPStatus.OK
    assert "subject to legal exceptions" in response.content.decode()
    user.refresh_from_db()
    assert not user.is_active
    assert user.processing_restricted  # marketing, analytics, inference stop
    assert not UserSession.objects.filter(user=user).exists()
    assert reauthed.get(reverse("rights:your_data")).status_code == HTTPStatus.FOUND
    assert other_browser.get(reverse("rights:your_data")).status_code == HTTPStatus.FOUND
    dsr = DataSubjectRequest.objects.get(user=user, kind="deletion")
    assert dsr.erase_after - dsr.received_at == pytest.approx(
        timedelta(days=14), abs=timedelta(seconds=5)
    )
    assert _cancel_link()
    assert SecurityEvent.objects.filter(user=user, kind="deletion_requested").exists()


def test_it_makes_one_request_of_a_double_submission(user):
    first = services.deletion_start(user=user)
    second = services.deletion_start(user=user)
    assert first.pk == second.pk
    assert DataSubjectRequest.objects.filter(user=user, kind="deletion").count() == 1


def test_it_uses_the_configured_grace_period(settings, user):
    settings.RIGHTS_DELETION_GRACE_DAYS = 3
    dsr = services.deletion_start(user=user)
    assert (dsr.erase_after - timezone.now()).days == 2  # 3 days minus a few ms


def test_it_cancels_through_the_emailed_link(client, user):
    services.deletion_start(user=user)
    link = _cancel_link().replace("http://localhost:8000", "")
    page = client.get(link)  # a GET (or a mail scanner) changes nothing
    assert page.status_code == HTTPStatus.OK
    user.refresh_from_db()
    assert not user.is_active
    response = client.post(link)
    assert response.status_code == HTTPStatus.OK
    user.refresh_from_db()
    assert user.is_active
    assert DataSubjectRequest.objects.get(user=user).status == "cancelled"
    assert services.deletions_due(now=timezone.now() + timedelta(days=30)) == []


@pytest.mark.parametrize("token", ["garbage", "eyJyIjoxfQ:1tAMPeR:bad"])
def test_it_explains_a_tampered_cancel_link(client, user, token):
    response = client.post(reverse("rights:deletion_cancel", args=[token]))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "not valid" in response.content.decode()


def test_it_explains_an_expired_cancel_link(client, user, settings):
    services.deletion_start(user=user)
    link = _cancel_link().replace("http://localhost:8000", "")
    settings.RIGHTS_DELETION_GRACE_DAYS = 0
    response = client.post(link)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "expired" in response.content.decode()


def _sign_in(client, password):
    return client.post(
        reverse("account_login"), {"login": "alice@example.com", "password": password}
    )


def test_signing_in_during_the_grace_period_asks_keep_or_cancel(client, user, password):
    services.deletion_start(user=user)

    response = _sign_in(client, password)

    assert response["Location"] == reverse("accounts:deletion_choice")
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="cancel-deletion"' in page and 'data-testid="keep-deletion"' in page
    user.refresh_from_db()
    assert not user.is_active  # nothing decided yet
    assert DataSubjectRequest.objects.get(user=user).status == "in_progress"
    assert client.get(reverse("rights:your_data")).status_code == HTTPStatus.FOUND


def test_it_cancels_when_the_person_chooses_to_cancel(client, user, password):
    services.deletion_start(user=user)
    _sign_in(client, password)

    response = client.post(reverse("accounts:deletion_choice"), {"choice": "cancel"})

    assert response["Location"] == reverse("jobs:board")
    user.refresh_from_db()
    assert user.is_active
    assert client.get(reverse("rights:your_data")).status_code == HTTPStatus.OK
    assert DataSubjectRequest.objects.get(user=user).status == "cancelled"


def test_it_keeps_the_deletion_when_the_person_chooses_to_keep_it(client, user, password):
    services.deletion_start(user=user)
    _sign_in(client, password)

    response = client.post(reverse("accounts:deletion_choice"), {"choice": "keep"}, follow=True)

    user.refresh_from_db()
    assert not user.is_active
    assert DataSubjectRequest.objects.get(user=user).status == "in_progress"
    assert "will be deleted on" in response.content.decode()
    assert client.get(reverse("rights:your_data")).status_code == HTTPStatus.FOUND
    assert client.get(reverse("accounts:deletion_choice"))["Location"] == reverse("account_login")


def test_the_choice_page_is_not_reachable_without_that_sign_in(client, user):
    services.deletion_start(user=user)

    response = client.post(reverse("accounts:deletion_choice"), {"choice": "cancel"})

    assert response["Location"] == reverse("account_login")
    user.refresh_from_db()
    assert not user.is_active


def test_it_says_on_the_next_page_that_the_deletion_is_cancelled(client, user, password):
    services.deletion_start(user=user)
    _sign_in(client, password)

    response = client.post(reverse("accounts:deletion_choice"), {"choice": "cancel"}, follow=True)

    body = response.content.decode()
    assert "You cancelled the deletion of your account" in body
    assert f'<a href="{reverse("rights:deletion_request")}">ask again</a>' in body


def test_it_emails_that_signing_in_cancelled_the_deletion(client, user, password, settings):
    services.deletion_start(user=user)
    _sign_in(client, password)

    client.post(reverse("accounts:deletion_choice"), {"choice": "cancel"})

    [message] = [m for m in mail.outbox if "will not be deleted" in m.subject]
    assert message.to == [user.email]
    assert "because you signed in" in message.body
    assert f"{settings.SITE_URL}{reverse('rights:deletion_request')}" in message.body


def test_it_emails_that_the_cancel_link_cancelled_the_deletion(client, user):
    services.deletion_start(user=user)

    client.post(_cancel_link())

    [message] = [m for m in mail.outbox if "will not be deleted" in m.subject]
    assert message.to == [user.email]
    assert "because you signed in" not in message.body


def test_it_still_refuses_a_wrong_password_for_a_pending_deletion(client, user):
    services.deletion_start(user=user)
    client.post(reverse("account_login"), {"login": "alice@example.com", "password": "wrong-1234"})
    user.refresh_from_db()
    assert not user.is_active


def test_it_refuses_sign_in_to_a_deactivated_account_with_no_pending_deletion(
    client, user, password
):
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = client.post(
        reverse("account_login"), {"login": "alice@example.com", "password": password}
    )
    assert "inactive" in response["Location"]
    user.refresh_from_db()
    assert not user.is_active


def test_it_erases_after_the_grace_period(user, other_user):
    KnownCountry.objects.create(user=user, country="GB")
    log = _log(user)
    bobs_log = _log(other_user)
    event = SecurityEvent.objects.create(
        created_at=timezone.now(), kind="login_succeeded", user=user, ip="81.2.69.142"
    )
    dsr = services.deletion_start(user=user)
    assert account_erase_due.delay().get() == 0  # still in the grace period
    DataSubjectRequest.objects.filter(pk=dsr.pk).update(erase_after=timezone.now())
    assert account_erase_due.delay().get() == 1

    assert not User.objects.filter(pk=user.pk).exists()
    assert not EmailAddress.objects.filter(email="alice@example.com").exists()
    assert not KnownCountry.objects.filter(country="GB").exists()
    log.refresh_from_db()
    assert log.user_id is None and log.ip is None and log.ip_network == "81.2.69.0"
    assert log.browser_major == "" and log.anonymised
    event.refresh_from_db()
    assert event.user_id is None and event.ip == "81.2.69.0"
    bobs_log.refresh_from_db()
    assert bobs_log.user_id == other_user.pk and bobs_log.ip == "81.2.69.142"
    dsr.refresh_from_db()
    assert dsr.status == "completed" and dsr.user_id is None and dsr.subject_email == ""
    receipt = DeletionReceipt.objects.get()
    assert receipt.request_id_ref == dsr.pk and receipt.erased_at and receipt.requested_at
    assert receipt.email_hmac == services.email_hmac("Alice@Example.com")
    assert "alice" not in str(receipt.__dict__)
    assert SecurityEvent.objects.filter(kind="deletion_done").exists()


def test_it_is_idempotent(user):
    services.deletion_start(user=user)
    assert services.account_erase(user_id=user.pk, reason="user_request") is True
    assert services.account_erase(user_id=user.pk, reason="user_request") is False
    assert DeletionReceipt.objects.count() == 1


def test_it_resumes_after_a_crash_half_way(user, monkeypatch):
    from rights import erasure

    for _ in range(5):
        _log(user)
    SecurityEvent.objects.create(created_at=timezone.now(), kind="login_failed", user=user)
    services.deletion_start(user=user)
    original = erasure._detach_rows

    def crash_on_security_events(kind, qs, user_field):
        if kind.name == "security_events":
            raise RuntimeError("worker lost")
        return original(kind, qs, user_field)

    monkeypatch.setattr(erasure, "_detach_rows", crash_on_security_events)
    with pytest.raises(RuntimeError):
        services.account_erase(user_id=user.pk, reason="user_request")
    assert User.objects.filter(pk=user.pk).exists()  # nothing half-deleted about the user
    monkeypatch.setattr(erasure, "_detach_rows", original)
    assert services.account_erase(user_id=user.pk, reason="user_request") is True
    assert not RequestLog.objects.filter(user__isnull=False).exists()
    assert not SecurityEvent.objects.filter(user_id=user.pk).exists()


def test_it_loses_nothing_when_a_retention_job_runs_in_the_middle(user, other_user, monkeypatch):
    from logs_retention.services import retention_run
    from rights import erasure

    old = timezone.now() - timedelta(days=100)
    for _ in range(3):
        _log(user, created_at=old)
        _log(user)
    _log(other_user)
    services.deletion_start(user=user)
    monkeypatch.setattr(erasure, "_batch_size", lambda: 2)
    original = erasure._detach_rows

    def with_retention_between(kind, qs, user_field):
        if kind.name == "request_logs":
            retention_run(policy_name="request_logs_anonymise")
        return original(kind, qs, user_field)

    monkeypatch.setattr(erasure, "_detach_rows", with_retention_between)
    assert services.account_erase(user_id=user.pk, reason="user_request") is True
    assert RequestLog.objects.count() == 7
    assert not RequestLog.objects.filter(ip="81.2.69.142").exclude(user=other_user).exists()
    assert RequestLog.objects.filter(user__isnull=True).count() == 6


def test_it_pauses_erasure_under_a_legal_hold(user, staff_user):
    dsr = services.deletion_start(user=user)
    hold = services.legal_hold_place(
        user=user, actor=staff_user, reason="court order 12/3", dsr=dsr
    )
    DataSubjectRequest.objects.filter(pk=dsr.pk).update(erase_after=timezone.now())
    assert account_erase_due.delay().get() == 0
    assert User.objects.filter(pk=user.pk).exists()
    services.legal_hold_lift(hold=hold, actor=staff_user, reason="order lifted")
    assert account_erase_due.delay().get() == 1
    assert {"placed_hold", "lifted_hold"} <= set(
        AuditRecord.objects.values_list("action", flat=True)
    )


def test_lifting_the_legal_holds_of_an_account_lifts_each_with_its_audit(user, staff_user):
    first = services.legal_hold_place(user=user, actor=staff_user, reason="court order 12/3")
    second = services.legal_hold_place(user=user, actor=staff_user, reason="tax audit")

    assert services.legal_holds_lift(user_id=user.pk, actor=staff_user, reason="ended") == 2

    assert not services.legal_hold_active(user_id=user.pk)
    for hold in (first, second):
        hold.refresh_from_db()
        assert hold.lift_reason == "ended"
    assert AuditRecord.objects.filter(action="lifted_hold", target_user_id=user.pk).count() == 2


@pytest.mark.parametrize("reason", ["", "   "])
def test_lifting_legal_holds_needs_a_reason_and_lifts_none_without_one(user, staff_user, reason):
    services.legal_hold_place(user=user, actor=staff_user, reason="court order 12/3")

    with pytest.raises(services.RightsError, match="Give the reason"):
        services.legal_holds_lift(user_id=user.pk, actor=staff_user, reason=reason)

    assert services.legal_hold_active(user_id=user.pk)


def test_lifting_legal_holds_of_an_account_without_any_is_refused(user, staff_user):
    with pytest.raises(services.RightsError, match="no active legal hold"):
        services.legal_holds_lift(user_id=user.pk, actor=staff_user, reason="ended")


def test_a_request_without_an_account_says_so(staff_user):
    dsr = services.request_create(kind="deletion", channel="email", subject_email="x@example.com")

    with pytest.raises(services.RightsError, match="No account matches this request"):
        services.request_account(dsr)
    with pytest.raises(services.RightsError, match="No account matches this request"):
        services.account_mark_minor(dsr=dsr, actor=staff_user)


def test_it_tells_a_held_user_in_lawful_words(reauthed, user, staff_user):
    services.legal_hold_place(user=user, actor=staff_user, reason="tax audit")
    page = reauthed.get(reverse("rights:deletion_request")).content.decode()
    assert "subject to a legal exception" in page
    assert "tax audit" not in page


def test_it_detaches_consent_records_as_proof(user):
    from consent.models import ConsentRecord

    record = ConsentRecord.objects.create(
        user=user, analytics=True, marketing=True, method="banner", config_version="1"
    )
    services.account_erase(user_id=user.pk, reason="user_request")
    record.refresh_from_db()
    assert record.user_id is None and record.account_closed_at is not None


def test_it_deletes_export_files_with_the_account(user, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    from rights.models import DataExport

    export, _ = services.export_request(user=user)
    services.export_build(export_id=export.pk)
    export.refresh_from_db()
    path = tmp_path / export.file.name
    assert path.exists()
    services.account_erase(user_id=user.pk, reason="user_request")
    assert not path.exists() and not DataExport.objects.exists()


def test_it_keeps_sessions_gone_in_the_session_table(reauthed, user):
    session_key = reauthed.session.session_key
    reauthed.post(reverse("rights:deletion_request"), {"confirm": "on"})
    assert not Session.objects.filter(session_key=session_key).exists()
