"""Retention of supporting tables, the `retention` command and the run history in the admin."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from logs_retention.models import RetentionRun, SecurityEvent
from logs_retention.services import retention_run
from tests.conftest import staff_login


@pytest.mark.django_db
def test_it_deletes_expired_sessions_old_confirmations_and_session_records(user):
    from allauth.account.models import EmailAddress, EmailConfirmation
    from allauth.usersessions.models import UserSession

    now = timezone.now()
    Session.objects.create(session_key="e" * 32, session_data="x", expire_date=now - timedelta(1))
    Session.objects.create(session_key="a" * 32, session_data="x", expire_date=now + timedelta(1))
    address = EmailAddress.objects.get(user=user)
    old = EmailConfirmation.objects.create(
        email_address=address, key="old", sent=now - timedelta(40)
    )
    new = EmailConfirmation.objects.create(email_address=address, key="new", sent=now)
    UserSession.objects.create(
        user=user,
        ip="81.2.69.142",
        session_key="s1",
        user_agent="x",
        last_seen_at=now - timedelta(31),
    )
    UserSession.objects.create(
        user=user, ip="81.2.69.142", session_key="s2", user_agent="x", last_seen_at=now
    )

    run = retention_run(policy_name="auth_leftovers")

    assert list(Session.objects.values_list("session_key", flat=True)) == ["a" * 32]
    assert list(EmailConfirmation.objects.values_list("pk", flat=True)) == [new.pk]
    assert not EmailConfirmation.objects.filter(pk=old.pk).exists()
    assert list(UserSession.objects.values_list("session_key", flat=True)) == ["s2"]
    assert run.rows_deleted == 3


@pytest.mark.django_db
def test_it_deletes_staff_console_history_after_12_months(staff_user):
    old = LogEntry.objects.create(
        user=staff_user, object_repr="x", action_flag=ADDITION, change_message=""
    )
    recent = LogEntry.objects.create(
        user=staff_user, object_repr="y", action_flag=ADDITION, change_message=""
    )
    LogEntry.objects.filter(pk=old.pk).update(action_time=timezone.now() - timedelta(days=366))

    retention_run(policy_name="admin_log_entries")

    assert list(LogEntry.objects.values_list("pk", flat=True)) == [recent.pk]


@pytest.mark.django_db
def test_the_command_lists_what_it_would_touch_and_changes_nothing():
    SecurityEvent.objects.create(created_at=timezone.now() - timedelta(days=400), kind="throttled")
    out = _call("retention")

    assert "security_events: delete after 12 months" in out
    assert "security events: 1 rows" in out
    assert "Dry run of" in out
    assert SecurityEvent.objects.count() == 1
    assert not RetentionRun.objects.exists()


@pytest.mark.django_db
def test_the_command_runs_one_policy_with_execute():
    SecurityEvent.objects.create(created_at=timezone.now() - timedelta(days=400), kind="throttled")
    out = _call("retention", "--execute", "--policy", "security_events")

    assert SecurityEvent.objects.count() == 0
    assert "done: 0 anonymised, 1 deleted" in out
    assert out.strip().endswith("Ran 1 policies: 0 rows anonymised, 1 deleted.")
    assert list(RetentionRun.objects.values_list("policy", flat=True)) == ["security_events"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["nope", "", "security events"])
def test_the_command_refuses_an_unknown_policy(name):
    with pytest.raises(CommandError, match="No policy called"):
        _call("retention", "--policy", name or "x y")


@pytest.mark.django_db
def test_ops_see_the_run_history_in_the_admin(client, superuser):
    retention_run(policy_name="security_events")
    staff_login(client, superuser)

    response = client.get(reverse("admin:logs_retention_retentionrun_changelist"))

    assert response.status_code == HTTPStatus.OK
    assert b"security_events" in response.content
    assert b"Run now" in response.content


@pytest.mark.django_db
def test_staff_with_the_permission_can_start_a_run(client, staff_user):
    staff_user.user_permissions.add(
        Permission.objects.get(codename="view_retentionrun"),
        Permission.objects.get(codename="run_retention"),
    )
    SecurityEvent.objects.create(created_at=timezone.now() - timedelta(days=400), kind="throttled")
    staff_login(client, staff_user)

    url = reverse("admin:logs_retention_retentionrun_start", args=["security_events"])
    response = client.post(url)

    assert response.status_code == HTTPStatus.FOUND
    assert SecurityEvent.objects.count() == 0  # Celery runs eagerly in tests
    assert RetentionRun.objects.get().outcome == RetentionRun.Outcome.DONE


@pytest.mark.django_db
def test_staff_without_the_permission_cannot_start_a_run(client, staff_user):
    staff_user.user_permissions.add(Permission.objects.get(codename="view_retentionrun"))
    SecurityEvent.objects.create(created_at=timezone.now() - timedelta(days=400), kind="throttled")
    staff_login(client, staff_user)

    listing = client.get(reverse("admin:logs_retention_retentionrun_changelist"))
    started = client.post(
        reverse("admin:logs_retention_retentionrun_start", args=["security_events"])
    )

    assert listing.status_code == HTTPStatus.OK
    assert b"Run now" not in listing.content
    assert started.status_code == HTTPStatus.FORBIDDEN
    assert SecurityEvent.objects.count() == 1
    assert not RetentionRun.objects.exists()


@pytest.mark.django_db
def test_outsiders_cannot_see_or_start_runs(client_logged_in):
    listing = client_logged_in.get(reverse("admin:logs_retention_retentionrun_changelist"))
    started = client_logged_in.post(
        reverse("admin:logs_retention_retentionrun_start", args=["security_events"])
    )

    assert listing.status_code == HTTPStatus.FOUND  # to the staff login
    assert started.status_code == HTTPStatus.FOUND
    assert not RetentionRun.objects.exists()


@pytest.mark.django_db
def test_an_unknown_policy_in_the_admin_is_a_message_not_an_error(client, superuser):
    staff_login(client, superuser)
    url = reverse("admin:logs_retention_retentionrun_start", args=["nope"])

    response = client.post(url, follow=True)

    assert response.status_code == HTTPStatus.OK
    assert b"No retention policy is called nope" in response.content
    assert not RetentionRun.objects.exists()


def _call(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_deletes_visitor_consent_after_12_months_and_keeps_account_consent(user):
    from consent.models import ConsentRecord

    def record(*, days: int, **fields):
        return ConsentRecord.objects.create(
            analytics=False, marketing=False, method="banner", config_version="1",
            created_at=timezone.now() - timedelta(days=days), **fields,
        )  # fmt: skip

    old_visitor = record(days=366, browser_id="b1")
    new_visitor = record(days=300, browser_id="b2")
    old_account = record(days=800, user=user)

    run = retention_run(policy_name="visitor_consent")

    remaining = set(ConsentRecord.objects.values_list("pk", flat=True))
    assert remaining == {new_visitor.pk, old_account.pk}
    assert old_visitor.pk not in remaining
    assert run.rows_deleted == 1


@pytest.mark.django_db
def test_it_deletes_consent_of_a_closed_account_24_months_after_closure():
    from consent.models import ConsentRecord

    def closed(*, days: int):
        return ConsentRecord.objects.create(
            analytics=True, marketing=False, method="banner", config_version="1",
            created_at=timezone.now() - timedelta(days=2000),
            account_closed_at=timezone.now() - timedelta(days=days),
        )  # fmt: skip

    long_closed, recently_closed = closed(days=731), closed(days=700)

    retention_run(policy_name="account_consent")
    retention_run(policy_name="visitor_consent")  # closed accounts are not visitors

    remaining = set(ConsentRecord.objects.values_list("pk", flat=True))
    assert remaining == {recently_closed.pk}
    assert long_closed.pk not in remaining


@pytest.mark.django_db
def test_it_deletes_deletion_receipts_after_24_months():
    from rights.models import DeletionReceipt

    def receipt(days: int):
        when = timezone.now() - timedelta(days=days)
        return DeletionReceipt.objects.create(
            reason="request", erased_at=when, email_hmac="x" * 64, created_at=when
        )

    old, recent = receipt(731), receipt(729)

    retention_run(policy_name="deletion_receipts")

    assert list(DeletionReceipt.objects.values_list("pk", flat=True)) == [recent.pk]
    assert old.pk != recent.pk


@pytest.mark.django_db
def test_it_deletes_export_files_after_7_days(user, settings, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from rights.models import DataExport

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)},
    }}  # fmt: skip

    def export(days: int, token: str):
        item = DataExport(user=user, token=token, status=DataExport.Status.READY)
        item.file.save(f"{token}.zip", ContentFile(b"zip"), save=False)
        item.created_at = timezone.now() - timedelta(days=days)
        item.expires_at = timezone.now() + timedelta(days=1)
        item.save()
        return item

    old, fresh = export(8, "old"), export(1, "fresh")
    old_name = old.file.name

    run = retention_run(policy_name="export_files")
    old.refresh_from_db()
    fresh.refresh_from_db()

    assert not default_storage.exists(old_name)
    assert (old.file.name, old.status) == ("", DataExport.Status.EXPIRED)
    assert fresh.file and default_storage.exists(fresh.file.name)
    assert run.rows_deleted == 1
    assert retention_run(policy_name="export_files").rows_deleted == 0
