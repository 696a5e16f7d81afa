"""Sessions live in the database and are read through the cache (jobtrax.sessions): a signed-in
request reads no session row, an ended session stops at once, and without Redis sessions work
on the database alone."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jobtrax import sessions

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cached_sessions(settings):
    settings.SESSION_ENGINE = "jobtrax.sessions"


def _session_queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in captured if "django_session" in q["sql"]]


def test_a_signed_in_request_reads_its_session_from_the_cache(client, user):
    client.force_login(user)
    client.get(reverse("jobs:board"))
    assert _session_queries(client, reverse("jobs:board")) == []
    # ... and the database keeps it.
    assert Session.objects.filter(session_key=client.session.session_key).exists()


def test_the_cached_copy_lives_five_minutes_at_most(client, user):
    client.force_login(user)
    key = sessions.KEY_PREFIX + client.session.session_key
    assert cache.get(key) is not None
    ttl = getattr(cache, "ttl", None)
    if ttl is not None:  # Redis reports what is left
        assert 0 < ttl(key) <= sessions.CACHE_SECONDS
    assert sessions.CACHE_SECONDS == 300


def test_signing_out_ends_the_session_at_once(client, user):
    client.force_login(user)
    old_cookie = client.cookies["sessionid"].value
    client.post(reverse("account_logout"))
    client.cookies["sessionid"] = old_cookie
    response = client.get(reverse("jobs:board"))
    assert response.status_code == 302  # to sign-in: the old session is gone, cache included


def test_a_session_past_its_expiry_is_not_served_from_the_cache(client, user):
    client.force_login(user)
    key = client.session.session_key
    store = sessions.SessionStore(key)
    data = store.load()
    cache.set(sessions.KEY_PREFIX + key, (timezone.now() - timedelta(seconds=1), data), 60)
    Session.objects.filter(session_key=key).update(expire_date=timezone.now())
    assert client.get(reverse("jobs:board")).status_code == 302


def test_sessions_work_on_the_database_alone_while_redis_is_down(client, user, redis_down):
    client.force_login(user)
    assert client.get(reverse("jobs:board")).status_code == 200
    assert client.get(reverse("jobs:board")).status_code == 200
