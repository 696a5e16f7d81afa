"""Health: the endpoint load balancers and compose poll, and the scheduled heartbeat."""

from http import HTTPStatus

from jobtrax.models import Heartbeat
from jobtrax.tasks import heartbeat


def test_it_reports_each_dependency_while_all_answer(client, db):
    response = client.get("/healthz")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "broker": "ok"},
    }
    assert "no-cache" in response["Cache-Control"]


def test_it_answers_503_and_names_redis_when_it_is_down(client, db, redis_down):
    response = client.get("/healthz")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "cache": "unavailable", "broker": "unavailable"},
    }


def test_it_checks_the_embedded_broker_of_the_default_setup(client, db, settings, tmp_path):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(tmp_path),
        "data_folder_out": str(tmp_path),
    }

    assert client.get("/healthz").json()["checks"]["broker"] == "ok"


# The database being down is in tests/test_outages.py, in a process of its own.


def test_it_answers_only_get(client, db):
    assert client.post("/healthz").status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_the_heartbeat_task_records_when_it_last_ran(db):
    heartbeat.delay()
    first = Heartbeat.objects.get(name="celery-worker").beat_at

    heartbeat.delay()

    assert Heartbeat.objects.count() == 1
    assert Heartbeat.objects.get(name="celery-worker").beat_at >= first
