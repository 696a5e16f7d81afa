"""Retention of accounts: never verified after 7 days, inactive after 24 months with a warning."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import User
from logs_retention.models import InactivityWarning, RetentionRun
from logs_retention.services import retention_run
from tests.conftest import make_user


def _joined(user: User, *, days_ago: float, last_login_days_ago: float | None = None) -> User:
    now = timezone.now()
    User.objects.filter(pk=user.pk).update(
        date_joined=now - timedelta(days=days_ago),
        last_login=None
        if last_login_days_ago is None
        else now - timedelta(days=last_login_days_ago),
    )
    user.refresh_from_db()
    return user


@pytest.mark.django_db
def test_it_erases_accounts_never_verified_within_7_days():
    stale = _joined(make_user("stale@example.com", verified=False), days_ago=8)
    fresh = _joined(make_user("fresh@example.com", verified=False), days_ago=6)
    verified = _joined(make_user("verified@example.com"), days_ago=30)

    run = retention_run(policy_name="unverified_accounts")

    assert not User.objects.filter(pk=stale.pk).exists()
    assert User.objects.filter(pk__in=[fresh.pk, verified.pk]).count() == 2
    assert run.rows_deleted == 1
    assert retention_run(policy_name="unverified_accounts").rows_deleted == 0


@pytest.mark.django_db
def test_it_never_erases_staff_accounts_by_retention():
    staff = _joined(make_user("ops@example.com", verified=False, is_staff=True), days_ago=800)

    retention_run(policy_name="unverified_accounts")
    retention_run(policy_name="inactive_accounts")

    assert User.objects.filter(pk=staff.pk).exists()


@pytest.mark.django_db
def test_it_warns_an_inactive_account_30_days_before_erasing_it():
    sleeper = _joined(make_user("sleeper@example.com"), days_ago=900, last_login_days_ago=701)
    active = _joined(make_user("active@example.com"), days_ago=900, last_login_days_ago=10)

    run = retention_run(policy_name="inactive_accounts")

    assert [message.to for message in mail.outbox] == [["sleeper@example.com"]]
    assert "sign in" in mail.outbox[0].body
    assert InactivityWarning.objects.filter(user=sleeper).exists()
    assert not InactivityWarning.objects.filter(user=active).exists()
    assert run.rows_deleted == 0
    assert "1 warning emails sent" in run.note

    # A second run the same day warns nobody twice and erases nobody.
    retention_run(policy_name="inactive_accounts")
    assert len(mail.outbox) == 1
    assert User.objects.filter(pk=sleeper.pk).exists()


@pytest.mark.django_db
def test_it_erases_an_inactive_account_once_the_warning_has_run_out():
    sleeper = _joined(make_user("sleeper@example.com"), days_ago=900, last_login_days_ago=731)
    InactivityWarning.objects.create(user=sleeper, sent_at=timezone.now() - timedelta(days=31))

    run = retention_run(policy_name="inactive_accounts")

    assert not User.objects.filter(pk=sleeper.pk).exists()
    assert run.rows_deleted == 1
    assert run.outcome == RetentionRun.Outcome.DONE


@pytest.mark.django_db
def test_it_does_not_erase_before_the_warning_has_run_out():
    sleeper = _joined(make_user("sleeper@example.com"), days_ago=900, last_login_days_ago=731)
    InactivityWarning.objects.create(user=sleeper, sent_at=timezone.now() - timedelta(days=29))

    retention_run(policy_name="inactive_accounts")

    assert User.objects.filter(pk=sleeper.pk).exists()


@pytest.mark.django_db
def test_a_sign_in_after_the_warning_keeps_the_account():
    sleeper = _joined(make_user("sleeper@example.com"), days_ago=900, last_login_days_ago=731)
    InactivityWarning.objects.create(user=sleeper, sent_at=timezone.now() - timedelta(days=40))
    User.objects.filter(pk=sleeper.pk).update(last_login=timezone.now() - timedelta(days=2))

    run = retention_run(policy_name="inactive_accounts")

    assert User.objects.filter(pk=sleeper.pk).exists()
    assert run.rows_deleted == 0
    assert mail.outbox == []
