"""Health: the endpoint load balancers and compose poll, and the scheduled heartbeat."""

from http import HTTPStatus

from jobtrax import views
from jobtrax.models import Heartbeat
from jobtrax.tasks import heartbeat


def test_it_reports_ok_while_the_database_answers(client, db):
    response = client.get("/healthz")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


class _DownDatabase:
    def cursor(self):
        raise ConnectionError("database down")


def test_it_reports_unavailable_when_the_database_does_not_answer(client, db, monkeypatch):
    # Only the view's own probe fails; the rest of the request cycle keeps its database.
    monkeypatch.setattr(views, "connection", _DownDatabase())

    response = client.get("/healthz")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json() == {"status": "unavailable"}


def test_it_answers_only_get(client, db):
    assert client.post("/healthz").status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_the_heartbeat_task_records_when_it_last_ran(db):
    heartbeat.delay()
    first = Heartbeat.objects.get(name="celery-worker").beat_at

    heartbeat.delay()

    assert Heartbeat.objects.count() == 1
    assert Heartbeat.objects.get(name="celery-worker").beat_at >= first
