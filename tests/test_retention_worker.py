"""Retention on real services: Celery worker and beat on Redis and PostgreSQL, or on SQLite."""

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from logs_retention.models import RequestLog, RetentionRun, SecurityEvent
from logs_retention.services import retention_run
from tests.workers import celery_worker, database_url_for_tests, wait_for

TASK = "logs_retention.tasks.retention_run_policy"


def _events(count: int, *, days_ago: int) -> None:
    when = timezone.now() - timedelta(days=days_ago)
    SecurityEvent.objects.bulk_create(
        SecurityEvent(created_at=when - timedelta(seconds=i), kind="login_failed")
        for i in range(count)
    )


def _old_events() -> int:
    return SecurityEvent.objects.filter(created_at__lt=timezone.now() - timedelta(days=365)).count()


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_it_runs_the_heartbeat_on_a_real_worker_and_beat(require_postgres, redis_url):
    from jobtrax.models import Heartbeat

    started = timezone.now()
    with celery_worker(database_url=database_url_for_tests(), redis_url=redis_url, beat_every=1):
        worker = wait_for(lambda: Heartbeat.objects.filter(name="celery-worker").first())
        beat = wait_for(lambda: Heartbeat.objects.filter(name="celery-beat").first())
    assert started <= worker.beat_at <= timezone.now()
    assert started <= beat.beat_at <= timezone.now()


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_beat_and_a_worker_purge_on_schedule_end_to_end(require_postgres, redis_url):
    _events(120, days_ago=400)
    _events(7, days_ago=10)
    when = timezone.now() - timedelta(days=100)
    RequestLog.objects.bulk_create(
        RequestLog(
            created_at=when - timedelta(seconds=i), method="GET", route="home", status=200,
            duration_ms=1, ip="81.2.69.142", ip_network="81.2.69.0",
        )
        for i in range(40)
    )  # fmt: skip

    with celery_worker(
        database_url=database_url_for_tests(),
        redis_url=redis_url,
        beat_every=1,
        env={"RETENTION_BATCH_SIZE": "25"},
    ):
        wait_for(
            lambda: (
                RetentionRun.objects.filter(
                    policy="security_events", outcome="done", rows_deleted=120
                ).exists()
                and RetentionRun.objects.filter(
                    policy="request_logs_anonymise", outcome="done", rows_anonymised=40
                ).exists()
            ),
            timeout=60,
        )

    assert _old_events() == 0
    assert SecurityEvent.objects.count() == 7
    assert RequestLog.objects.filter(anonymised=True, ip=None, user=None).count() == 40
    run = RetentionRun.objects.get(policy="security_events", rows_deleted=120)
    assert run.batches == 5 and run.finished_at is not None and run.error == ""


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_purge_is_followed_by_a_clean_finish(require_postgres, redis_url):
    _events(400, days_ago=400)
    _events(5, days_ago=1)
    env = {
        "RETENTION_BATCH_SIZE": "10",
        "RETENTION_BATCH_PAUSE_SECONDS": "0.05",
        "RETENTION_LOCK_SECONDS": "2",
    }
    database_url = database_url_for_tests()

    with celery_worker(database_url=database_url, redis_url=redis_url, env=env) as worker:
        worker.send(TASK, "security_events")
        wait_for(
            lambda: RetentionRun.objects.filter(
                policy="security_events", rows_deleted__gte=50
            ).exists()
        )
        worker.kill_hard()

    killed = RetentionRun.objects.get(policy="security_events")
    remaining = _old_events()
    assert killed.outcome == RetentionRun.Outcome.RUNNING and killed.finished_at is None
    assert 0 < remaining < 400
    # Whole batches only, each counted in the same transaction that deleted it.
    assert killed.rows_deleted == 400 - remaining
    assert killed.rows_deleted % 10 == 0

    with celery_worker(database_url=database_url, redis_url=redis_url, env=env) as worker:
        # The killed run's lock expires after RETENTION_LOCK_SECONDS; until then a new run
        # is skipped, so ask again until one finishes the work.
        def finished():
            done = RetentionRun.objects.filter(policy="security_events", outcome="done").first()
            if (
                done is None
                and not RetentionRun.objects.filter(outcome="running")
                .exclude(pk=killed.pk)
                .exists()
            ):
                worker.send(TASK, "security_events")
            return done

        done = wait_for(finished, timeout=60, every=0.5)

    assert _old_events() == 0
    assert SecurityEvent.objects.count() == 5
    assert killed.rows_deleted + done.rows_deleted == 400
    assert retention_run(policy_name="security_events").rows_deleted == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_started_at_once_do_the_work_exactly_once(require_postgres, settings):
    settings.RETENTION_BATCH_SIZE = 20
    settings.RETENTION_BATCH_PAUSE_SECONDS = 0.02
    _events(200, days_ago=400)
    start = threading.Barrier(2)
    runs = []

    def run() -> None:
        try:
            start.wait()
            runs.append(retention_run(policy_name="security_events"))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    outcomes = sorted(run.outcome for run in runs)
    assert outcomes == [RetentionRun.Outcome.DONE, RetentionRun.Outcome.SKIPPED]
    assert sum(run.rows_deleted for run in runs) == 200
    assert _old_events() == 0


def _heartbeats(database) -> list[str]:
    return [row[0] for row in database.execute("SELECT name FROM jobtrax_heartbeat ORDER BY name")]


def test_the_schedule_runs_without_redis_on_sqlite(tmp_path):
    """The default setup: SQLite and the embedded filesystem broker, one worker with beat."""
    import sqlite3
    import subprocess
    import sys

    from tests.workers import PROJECT_ROOT, worker_env

    database_url = f"sqlite:///{tmp_path / 'jobtrax.sqlite3'}"
    env = worker_env(
        database_url=database_url, redis_url=None, JOBTRAX_VAR_DIR=str(tmp_path / "var")
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
        cwd=PROJECT_ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip
    database = sqlite3.connect(tmp_path / "jobtrax.sqlite3")
    old = (timezone.now() - timedelta(days=400)).strftime("%Y-%m-%d %H:%M:%S")
    recent = (timezone.now() - timedelta(days=3)).strftime("%Y-%m-%d %H:%M:%S")
    with database:
        database.executemany(
            "INSERT INTO logs_retention_securityevent (created_at, kind, country, detail) "
            "VALUES (?, 'login_failed', '', '')",
            [(old,)] * 30 + [(recent,)] * 4,
        )

    def purged() -> bool:
        done = database.execute(
            "SELECT count(*) FROM logs_retention_retentionrun "
            "WHERE policy = 'security_events' AND outcome = 'done' AND rows_deleted = 30"
        ).fetchone()[0]
        return done == 1

    with celery_worker(
        database_url=database_url,
        redis_url=None,
        beat_every=1,
        env={
            "JOBTRAX_VAR_DIR": str(tmp_path / "var"),
            "FAST_BEAT_ONLY": "heartbeat,retention-security-events",
        },
    ):
        wait_for(purged, timeout=60)
        # beat leaves a heartbeat of its own when it sends the task, the worker when it runs it
        wait_for(lambda: _heartbeats(database) == ["celery-beat", "celery-worker"])

    remaining = database.execute("SELECT created_at FROM logs_retention_securityevent").fetchall()
    assert sorted(row[0][:19] for row in remaining) == [recent] * 4
    database.close()
