"""A signed-in request rewrites its session record at most once every few minutes."""

from http import HTTPStatus

import pytest
from allauth.usersessions.models import UserSession
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import sessions

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """The middleware's clock, in whole seconds, moved by the test."""
    now = {"t": 1_800_000_000}
    monkeypatch.setattr(sessions.time, "time", lambda: now["t"])
    return now


def _session_record_queries(client, path="/jobs/") -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == HTTPStatus.OK
    return sum("usersessions_usersession" in q["sql"] for q in queries.captured_queries)


def test_it_records_the_first_signed_in_request(client_logged_in, user, clock):
    assert _session_record_queries(client_logged_in) > 0
    assert UserSession.objects.filter(user=user).count() == 1


def test_it_does_not_touch_the_record_again_within_the_interval(client_logged_in, clock, settings):
    settings.USERSESSIONS_ACTIVITY_MINUTES = 5
    client_logged_in.get("/jobs/")
    clock["t"] += 4 * 60
    assert _session_record_queries(client_logged_in) == 0
    assert _session_record_queries(client_logged_in, reverse("rights:your_data")) == 0


def test_it_updates_last_activity_once_the_interval_has_passed(client_logged_in, user, clock):
    client_logged_in.get("/jobs/")
    record = UserSession.objects.get(user=user)
    earlier = record.last_seen_at.replace(year=2020)
    UserSession.objects.filter(pk=record.pk).update(last_seen_at=earlier)
    clock["t"] += 5 * 60 + 1
    assert _session_record_queries(client_logged_in) > 0
    record.refresh_from_db()
    assert record.last_seen_at.year > 2020


def test_a_clock_moved_backwards_writes_again(client_logged_in, clock):
    client_logged_in.get("/jobs/")
    clock["t"] -= 3600
    assert _session_record_queries(client_logged_in) > 0


def test_visitors_write_no_session_record(client, db, clock):
    client.get("/")
    assert UserSession.objects.count() == 0


def test_the_devices_list_shows_the_session(client_logged_in, user, clock):
    client_logged_in.get("/jobs/")
    response = client_logged_in.get(reverse("usersessions_list"))
    assert response.status_code == HTTPStatus.OK
    record = UserSession.objects.get(user=user)
    assert b"this browser" in response.content
    assert record.last_seen_at.strftime("%-d %b %Y, %H:%M").encode() in response.content
