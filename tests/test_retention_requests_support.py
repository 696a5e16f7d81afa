"""Retention of support messages, data-subject requests and the audit trail, each counted
from closure, each from a policy whose window a setting backs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobtrax import datamap
from logs_retention.services import retention_run
from rights import services
from rights.models import AuditRecord, DataSubjectRequest
from support.models import SupportMessage

DAY = timedelta(days=1)


def _message(status: str, closed_days_ago: int | None, created_days_ago: int = 3000):
    now = timezone.now()
    return SupportMessage.objects.create(
        topic="support",
        email="visitor@example.org",
        message="Hello",
        status=status,
        created_at=now - created_days_ago * DAY,
        closed_at=None if closed_days_ago is None else now - closed_days_ago * DAY,
    )


@pytest.mark.django_db
def test_it_deletes_support_messages_12_months_after_closing():
    gone = _message("closed", 366)
    closed_lately = _message("closed", 300)
    open_for_long = _message("open", None)
    answered = _message("answered", None)

    run = retention_run(policy_name="support_messages")

    left = set(SupportMessage.objects.values_list("pk", flat=True))
    assert left == {closed_lately.pk, open_for_long.pk, answered.pk}
    assert gone.pk not in left
    assert run.rows_deleted == 1


@pytest.mark.django_db
def test_it_follows_the_support_message_setting(settings):
    settings.RETENTION_SUPPORT_MESSAGE_DAYS = 30
    _message("closed", 31)
    kept = _message("closed", 29)

    retention_run(policy_name="support_messages")

    assert list(SupportMessage.objects.values_list("pk", flat=True)) == [kept.pk]
    assert datamap.policy("support_messages").window_display == "30 days"


def _request(status: str, closed_days_ago: int | None, received_days_ago: int = 3000):
    now = timezone.now()
    dsr = services.request_create(
        kind="access",
        channel="email",
        subject_email="subject@example.org",
        details="Send me my data.",
        received_at=now - received_days_ago * DAY,
    )
    DataSubjectRequest.objects.filter(pk=dsr.pk).update(
        status=status,
        completed_at=None if closed_days_ago is None else now - closed_days_ago * DAY,
    )
    return dsr


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["completed", "denied", "cancelled"])
def test_it_deletes_a_closed_request_24_months_after_closure(status):
    old = _request(status, 731)
    recent = _request(status, 700)

    retention_run(policy_name="data_subject_requests")

    assert list(DataSubjectRequest.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not DataSubjectRequest.objects.filter(pk=old.pk).exists()


@pytest.mark.django_db
def test_it_never_deletes_an_open_request_however_old():
    """A request received 3,000 days ago and still open keeps its address and words."""
    ancient = _request("in_progress", None)

    retention_run(policy_name="data_subject_requests")

    ancient.refresh_from_db()
    assert (ancient.subject_email, ancient.details) == ("subject@example.org", "Send me my data.")


@pytest.mark.django_db
def test_it_keeps_a_requests_audit_trail_until_the_request_is_gone(staff_user):
    now = timezone.now()
    dsr = _request("completed", 731)
    kept = _request("completed", 100)
    for target in (dsr, kept):
        record = services.audit_record(actor=staff_user, action="completed", dsr=target)
        AuditRecord.objects.filter(pk=record.pk).update(created_at=now - 3000 * DAY)

    retention_run(policy_name="audit_records")  # before the request policy: nothing goes
    assert AuditRecord.objects.count() == 2

    retention_run(policy_name="data_subject_requests")
    retention_run(policy_name="audit_records")

    assert list(AuditRecord.objects.values_list("request_id", flat=True)) == [kept.pk]


@pytest.mark.django_db
def test_it_deletes_other_audit_records_after_their_window(staff_user, settings):
    now = timezone.now()
    old = services.audit_record(actor=staff_user, action="viewed_data", target_user_id=7)
    recent = services.audit_record(actor=staff_user, action="viewed_data", target_user_id=7)
    AuditRecord.objects.filter(pk=old.pk).update(created_at=now - 731 * DAY)
    AuditRecord.objects.filter(pk=recent.pk).update(created_at=now - 700 * DAY)

    retention_run(policy_name="audit_records")

    assert list(AuditRecord.objects.values_list("pk", flat=True)) == [recent.pk]


def test_it_keeps_the_audit_trail_at_least_as_long_as_the_requests():
    assert datamap.policy("audit_records").window >= datamap.policy("data_subject_requests").window


def test_every_retention_the_registry_shows_is_a_policys_window_or_states_no_figure():
    import re

    from rights import registry

    for kind in registry.installed_kinds():
        shown = registry.retention_display(kind)
        if kind.retention_policy is None:
            assert not re.search(r"\d|month|year|week|day", shown), (kind.name, shown)
        else:
            assert shown == datamap.policy(kind.retention_policy).window_display


@pytest.mark.parametrize(
    ("kind", "policy"),
    [
        ("requests", "data_subject_requests"),
        ("staff_actions", "audit_records"),
        ("support_messages", "support_messages"),
    ],
)
def test_the_registry_names_the_policy_that_deletes_each_kind(kind, policy):
    declared = {item.name: item for item in datamap.kinds()}
    assert declared[kind].retention_policy == policy
    targets = {target.model for target in datamap.policy(policy).targets}
    assert declared[kind].model in targets
