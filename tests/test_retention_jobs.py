"""Retention runs: cutoffs, anonymisation, idempotence, crashes, overlap and the run record."""

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count
from django.utils import timezone

from jobtrax.datamap import policy as get_policy
from logs_retention import batches
from logs_retention.locks import policy_lock
from logs_retention.models import RequestLog, RetentionRun, SecurityEvent
from logs_retention.services import retention_run

NOW = datetime(2026, 6, 15, 12, 0, 0, tzinfo=UTC)


def _log(created_at: datetime, *, user=None, ip="81.2.69.142", route="home", status=200):
    return RequestLog.objects.create(
        created_at=created_at,
        method="GET",
        route=route,
        status=status,
        duration_ms=3,
        user=user,
        ip=ip,
        ip_network="81.2.69.0" if ":" not in ip else "2001:db8:1::",
        browser_family="Firefox",
        browser_major="128",
        os_family="Linux",
        device_type="desktop",
    )


def _event(created_at: datetime, user=None):
    return SecurityEvent.objects.create(created_at=created_at, kind="login_failed", user=user)


@pytest.mark.django_db
def test_it_deletes_only_rows_older_than_the_cutoff_to_the_second():
    cutoff = NOW - get_policy("security_events").window
    older = _event(cutoff - timedelta(seconds=1))
    at_cutoff = _event(cutoff)
    newer = _event(cutoff + timedelta(seconds=1))

    run = retention_run(policy_name="security_events", now=NOW)

    remaining = set(SecurityEvent.objects.values_list("pk", flat=True))
    assert older.pk not in remaining
    assert {at_cutoff.pk, newer.pk} <= remaining
    assert run.rows_deleted == 1
    assert run.cutoff == cutoff
    assert run.outcome == RetentionRun.Outcome.DONE


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Asia/Tokyo", "Pacific/Kiritimati"])
def test_it_compares_instants_not_wall_clocks_across_time_zones(zone):
    """A timestamp written in any zone is judged by the instant it names."""
    cutoff = NOW - get_policy("request_logs_delete").window
    local = cutoff.astimezone(ZoneInfo(zone))
    before = _log(local - timedelta(seconds=1))
    after = _log(local + timedelta(seconds=1))

    with timezone.override(ZoneInfo(zone)):
        retention_run(policy_name="request_logs_delete", now=NOW.astimezone(ZoneInfo(zone)))

    assert not RequestLog.objects.filter(pk=before.pk).exists()
    assert RequestLog.objects.filter(pk=after.pk).exists()


@pytest.mark.django_db
def test_it_uses_the_window_from_settings(settings):
    settings.RETENTION_SECURITY_EVENT_DAYS = 10
    eleven_days = _event(NOW - timedelta(days=11))
    nine_days = _event(NOW - timedelta(days=9))

    retention_run(policy_name="security_events", now=NOW)

    assert not SecurityEvent.objects.filter(pk=eleven_days.pk).exists()
    assert SecurityEvent.objects.filter(pk=nine_days.pk).exists()


@pytest.mark.django_db
def test_it_anonymises_request_logs_after_90_days(user):
    old = _log(NOW - timedelta(days=91), user=user)
    recent = _log(NOW - timedelta(days=89), user=user)

    run = retention_run(policy_name="request_logs_anonymise", now=NOW)

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.user_id, old.ip, old.anonymised) == (None, None, True)
    assert old.ip_network == "81.2.69.0"
    assert (recent.user_id, recent.ip, recent.anonymised) == (user.pk, "81.2.69.142", False)
    assert run.rows_anonymised == 1 and run.rows_deleted == 0


@pytest.mark.django_db
def test_it_keeps_anonymised_rows_in_aggregates(user, other_user):
    for days in (100, 95, 91, 30, 1):
        _log(NOW - timedelta(days=days), user=user, route="home")
        _log(NOW - timedelta(days=days), user=other_user, route="account_login", status=302)

    def aggregates():
        return (
            RequestLog.objects.count(),
            list(RequestLog.objects.values("route", "status").annotate(n=Count("id")).order_by()),
            list(RequestLog.objects.values("ip_network", "browser_family").annotate(n=Count("id"))),
            list(RequestLog.objects.values("created_at__date").annotate(n=Count("id")).order_by()),
        )

    before = aggregates()
    retention_run(policy_name="request_logs_anonymise", now=NOW)

    assert RequestLog.objects.filter(anonymised=True).count() == 6
    assert aggregates() == before


@pytest.mark.django_db
def test_a_second_run_changes_nothing(settings):
    settings.RETENTION_BATCH_SIZE = 3
    for days in range(91, 101):
        _log(NOW - timedelta(days=days))
    _log(NOW - timedelta(days=400))

    first = [
        retention_run(policy_name=name, now=NOW)
        for name in ("request_logs_delete", "request_logs_anonymise")
    ]
    snapshot = list(RequestLog.objects.order_by("pk").values())
    second = [
        retention_run(policy_name=name, now=NOW)
        for name in ("request_logs_delete", "request_logs_anonymise")
    ]

    assert [(r.rows_deleted, r.rows_anonymised) for r in first] == [(1, 0), (0, 10)]
    assert [(r.rows_deleted, r.rows_anonymised) for r in second] == [(0, 0), (0, 0)]
    assert list(RequestLog.objects.order_by("pk").values()) == snapshot


@pytest.mark.django_db
def test_it_works_in_batches_of_the_configured_size(settings):
    settings.RETENTION_BATCH_SIZE = 4
    for second in range(10):
        _event(NOW - timedelta(days=400, seconds=second))

    run = retention_run(policy_name="security_events", now=NOW)

    assert run.rows_deleted == 10
    assert run.batches == 3  # 4 + 4 + 2
    assert SecurityEvent.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("crash_after", [1, 2, 4])
def test_a_run_that_crashes_mid_way_is_finished_by_the_next(settings, monkeypatch, crash_after):
    settings.RETENTION_BATCH_SIZE = 3
    for days in range(91, 105):
        _log(NOW - timedelta(days=days))
    for days in range(1, 5):
        _log(NOW - timedelta(days=days))

    real_update = batches.update_batch
    calls = {"n": 0}

    def crashing_update(*args, **kwargs):
        if calls["n"] == crash_after:
            raise RuntimeError("worker lost")
        calls["n"] += 1
        return real_update(*args, **kwargs)

    monkeypatch.setattr(batches, "update_batch", crashing_update)
    with pytest.raises(RuntimeError):
        retention_run(policy_name="request_logs_anonymise", now=NOW)
    crashed = RetentionRun.objects.get(policy="request_logs_anonymise")
    assert crashed.outcome == RetentionRun.Outcome.FAILED
    assert "worker lost" in crashed.error
    # Whole batches only: every committed batch is fully anonymised.
    assert RequestLog.objects.filter(anonymised=True).count() == 3 * crash_after

    monkeypatch.setattr(batches, "update_batch", real_update)
    retention_run(policy_name="request_logs_anonymise", now=NOW)

    assert RequestLog.objects.filter(anonymised=True).count() == 14
    assert not RequestLog.objects.filter(
        anonymised=True, created_at__gte=NOW - timedelta(90)
    ).exists()
    assert not RequestLog.objects.filter(anonymised=True).exclude(user=None, ip=None).exists()


@pytest.mark.django_db
def test_a_second_run_while_the_first_holds_the_lock_does_nothing():
    _event(NOW - timedelta(days=400))
    other = policy_lock("security_events")
    assert other.acquire()
    try:
        skipped = retention_run(policy_name="security_events", now=NOW)
    finally:
        other.release()

    assert skipped.outcome == RetentionRun.Outcome.SKIPPED
    assert skipped.rows_deleted == 0
    assert SecurityEvent.objects.count() == 1

    done = retention_run(policy_name="security_events", now=NOW)
    assert (done.outcome, done.rows_deleted) == (RetentionRun.Outcome.DONE, 1)


@pytest.mark.django_db
def test_a_database_lock_left_by_a_killed_run_expires(settings):
    settings.REDIS_URL = ""  # the lease row used without Redis
    settings.RETENTION_LOCK_SECONDS = 60
    killed = policy_lock("security_events")
    assert killed.acquire()  # never released: the process died
    assert not policy_lock("security_events").acquire()

    later = timezone.now() + timedelta(seconds=61)
    from unittest import mock

    with mock.patch("logs_retention.locks.timezone.now", return_value=later):
        assert policy_lock("security_events").acquire()


@pytest.mark.django_db
def test_a_policy_whose_model_is_not_installed_is_a_clear_no_op(monkeypatch):
    from dataclasses import replace

    from jobtrax import datamap

    missing = datamap.Target(
        "consent records", "consent.NoSuchModel", datamap.DELETE_ROWS, datamap.older("created_at")
    )
    policy = replace(datamap.policy("visitor_consent"), targets=(missing,))
    monkeypatch.setitem(datamap._policies, "visitor_consent", policy)

    run = retention_run(policy_name="visitor_consent", now=NOW)

    assert run.outcome == RetentionRun.Outcome.DONE
    assert run.rows_deleted == 0
    assert "model not available" in run.note


def test_every_policy_has_work_behind_it():
    from jobtrax import datamap

    assert all(policy.targets for policy in datamap.policies())


@pytest.mark.django_db
def test_a_database_error_is_recorded_without_the_values_it_quotes():
    from django.db import DatabaseError, connection

    _event(NOW - timedelta(days=400))
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE logs_retention_securityevent RENAME TO securityevent_away")
    try:
        with pytest.raises(DatabaseError):
            retention_run(policy_name="security_events", now=NOW)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE securityevent_away RENAME TO logs_retention_securityevent")

    run = RetentionRun.objects.get()
    assert run.outcome == RetentionRun.Outcome.FAILED
    assert run.error.endswith(")") and "SQLSTATE" in run.error
    assert "securityevent" not in run.error
    assert SecurityEvent.objects.count() == 1


@pytest.mark.django_db
def test_a_filter_across_a_join_is_batched_through_a_sub_select(user, other_user):
    """The key-range form needs the filter on the table itself; a join takes the sub-select."""
    for _ in range(5):
        _log(NOW, user=user)
        _log(NOW, user=other_user)
    due = RequestLog.objects.filter(user__email=user.email)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        first, cursor = batches.delete_batch(due, limit=3)
    delete = next(q["sql"] for q in queries.captured_queries if q["sql"].startswith("DELETE"))
    assert "= ANY(ARRAY(SELECT" in delete or "IN (SELECT" in delete
    rest, end = batches.delete_batch(due, limit=3, after=cursor)
    rest_more, _ = batches.delete_batch(due, limit=3, after=end) if end else (0, None)

    assert first == 3 and first + rest + rest_more == 5
    assert not RequestLog.objects.filter(user=user).exists()
    assert RequestLog.objects.filter(user=other_user).count() == 5


def test_the_beat_schedule_runs_each_declared_policy_on_its_own_crontab():
    from jobtrax import datamap
    from jobtrax.celery import app

    entries = {
        entry["args"][0]: entry
        for entry in app.conf.beat_schedule.values()
        if entry["task"] == "logs_retention.tasks.retention_run_policy"
    }

    assert set(entries) == {policy.name for policy in datamap.policies()}
    for policy in datamap.policies():
        assert entries[policy.name]["schedule"] == policy.schedule, policy.name


def _policy_window_days_with_env(name: str, value: str) -> subprocess.CompletedProcess:
    code = (
        "import django; django.setup(); from jobtrax import datamap; "
        "print(datamap.policy('security_events').window.days)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "jobtrax.settings", name: value}
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )


def test_a_policys_window_is_its_declared_default_unless_a_setting_overrides_it(settings):
    policy = get_policy("security_events")
    del settings.RETENTION_SECURITY_EVENT_DAYS

    assert policy.window == timedelta(days=policy.default_days)

    settings.RETENTION_SECURITY_EVENT_DAYS = 45
    assert policy.window == timedelta(days=45)


def test_the_environment_overrides_a_policys_window():
    result = _policy_window_days_with_env("RETENTION_SECURITY_EVENT_DAYS", "45")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "45"


@pytest.mark.parametrize("value", ["0", "a year", "-5"])
def test_a_bad_window_in_the_environment_stops_the_start(value):
    result = _policy_window_days_with_env("RETENTION_SECURITY_EVENT_DAYS", value)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "RETENTION_SECURITY_EVENT_DAYS" in result.stderr


def test_a_window_under_its_policys_minimum_fails_the_checks(settings):
    from django.core import checks

    settings.RETENTION_INACTIVE_ACCOUNT_DAYS = 30

    errors = [m for m in checks.run_checks() if m.id == "jobtrax.E010"]
    assert len(errors) == 1
    assert "RETENTION_INACTIVE_ACCOUNT_DAYS must be at least 60 days" in errors[0].msg


def test_a_window_setting_that_no_policy_reads_is_flagged(settings):
    from django.core import checks

    settings.RETENTION_INACTIVE_ACOUNT_DAYS = 30

    warnings = [m for m in checks.run_checks() if m.id == "jobtrax.W010"]
    assert [w.msg for w in warnings] == [
        "RETENTION_INACTIVE_ACOUNT_DAYS is set, but no retention policy reads it."
    ]
