"""A real Celery worker and beat against Redis and PostgreSQL."""

import pytest

from tests.workers import celery_worker, database_url_for_tests, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


@pytest.mark.django_db(transaction=True)
def test_it_runs_the_heartbeat_on_a_real_worker_and_beat(require_postgres, redis_url):
    from jobtrax.models import Heartbeat

    with celery_worker(database_url=database_url_for_tests(), redis_url=redis_url, beat_every=1):
        beat = wait_for(lambda: Heartbeat.objects.filter(name="celery-worker").first())
    assert beat.beat_at is not None
