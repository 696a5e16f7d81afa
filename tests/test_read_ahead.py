"""A signed-in page from the page cache costs one Redis round trip (jobtrax.sessions,
jobtrax.cache.cache_get_linked): the session, the account's copy and the page at that address
are read together; and what is read ahead is never served once it may be stale.

These tests commit (transaction=True): the account's copy is read only outside transactions,
as a request is served."""

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jobs import services as job_services
from jobtrax import cache as safe_cache
from jobtrax import pagecache, sessions

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _caches_on(settings, redis_url):
    settings.ACCOUNT_CACHE = True
    settings.PAGE_CACHE = True
    safe_cache.forget_ahead()
    yield
    safe_cache.forget_ahead()


@pytest.fixture
def sent(monkeypatch):
    """Every command sent to Redis from now on."""
    from redis.connection import Connection

    commands: list[tuple] = []
    send = Connection.send_command

    def counted(self, *args, **kwargs):
        commands.append(args)
        return send(self, *args, **kwargs)

    monkeypatch.setattr(Connection, "send_command", counted)
    return commands


def _get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("page", ["jobs:board", "jobs:list", "rights:your_data"])
def test_a_kept_page_costs_one_round_trip_and_no_query(client, user, sent, page):
    job_services.job_create(user=user, data={"title": "Data engineer"}, channel="manual")
    client.force_login(user)
    first = _get(client, reverse(page))  # renders and keeps the page
    _get(client, reverse(page))  # learns what the address reads
    sent.clear()
    with CaptureQueriesContext(connection) as captured:
        again = _get(client, reverse(page))
    assert len(captured) == 0
    assert len(sent) == 1
    command, *arguments = sent[0]
    assert command == "EVALSHA"
    assert any(f":session:{client.session.session_key}" in str(a) for a in arguments)
    assert any(":pages:{}:" in str(a) for a in arguments)
    assert len(again) == len(first)  # the same page, with a token of its own


def test_the_data_page_reads_its_log_counts_in_the_same_round_trip(client, user, sent):
    client.force_login(user)
    url = reverse("rights:your_data")
    _get(client, url)
    _get(client, url)
    sent.clear()
    _get(client, url)
    assert len(sent) == 1
    read = sorted(str(a).rsplit(":", 1)[1] for a in sent[0] if ":pages:{}:" in str(a))
    assert read == ["data", "logs"]


def test_a_change_shows_on_the_next_request_though_the_page_was_read_ahead(client, user):
    client.force_login(user)
    url = reverse("jobs:board")
    _get(client, url)
    _get(client, url)
    job_services.job_create(user=user, data={"title": "Platform engineer"}, channel="manual")
    assert "Platform engineer" in _get(client, url)


def test_the_session_keeps_its_account_id_beside_it_and_sign_out_deletes_both(client, user):
    client.force_login(user)
    _get(client, reverse("jobs:board"))
    key = client.session.session_key
    assert cache.get(f"session:{key}:user") == user.pk
    client.post(reverse("account_logout"))
    assert cache.get(f"session:{key}") is None
    assert cache.get(f"session:{key}:user") is None
    assert not Session.objects.filter(session_key=key).exists()


def test_a_session_without_an_account_reads_nothing_ahead(client, sent):
    session = sessions.SessionStore()
    session["note"] = "visitor"
    session.create()
    loaded = sessions.SessionStore(session.session_key)
    loaded.read_ahead = ("account:{}",)
    sent.clear()
    assert loaded["note"] == "visitor"
    assert cache.get(f"session:{session.session_key}:user") == 0
    assert safe_cache._take_ahead(["account:0"]) is None


def test_values_read_ahead_are_served_once(user):
    cache.set("session:k", "s", 60)
    cache.set("session:k:user", user.pk, 60)
    cache.set(f"probe:{user.pk}", "first", 60)
    found = safe_cache.cache_get_linked("session:k", "session:k:user", ("probe:{}", "none:{}"))
    assert found == {"session:k": "s", "session:k:user": user.pk}
    cache.set(f"probe:{user.pk}", "second", 60)  # by another process: this one cannot know
    assert safe_cache.cache_get_many([f"probe:{user.pk}", f"none:{user.pk}"]) == {
        f"probe:{user.pk}": "first"
    }
    # Taken once: the next read asks Redis.
    assert safe_cache.cache_get_many([f"probe:{user.pk}"]) == {f"probe:{user.pk}": "second"}


def test_a_write_by_this_process_drops_what_was_read_ahead(user):
    cache.set("session:k:user", user.pk, 60)
    cache.set(f"probe:{user.pk}", "old", 60)
    safe_cache.cache_get_linked("session:k", "session:k:user", ("probe:{}",))
    safe_cache.cache_set(f"probe:{user.pk}", "new", 60)
    assert safe_cache.cache_get_many([f"probe:{user.pk}"]) == {f"probe:{user.pk}": "new"}


def test_a_read_for_keys_not_all_read_ahead_goes_to_redis(user, sent):
    cache.set("session:k:user", user.pk, 60)
    safe_cache.cache_get_linked("session:k", "session:k:user", ("probe:{}",))
    sent.clear()
    safe_cache.cache_get_many([f"probe:{user.pk}", "other"])
    assert [command[0] for command in sent] == ["MGET"]


def test_values_read_ahead_expire_outside_a_request(user, monkeypatch):
    cache.set("session:k:user", user.pk, 60)
    cache.set(f"probe:{user.pk}", "old", 60)
    safe_cache.cache_get_linked("session:k", "session:k:user", ("probe:{}",))
    cache.set(f"probe:{user.pk}", "new", 60)
    later = safe_cache.time.monotonic() + safe_cache.AHEAD_SECONDS + 1
    monkeypatch.setattr(safe_cache.time, "monotonic", lambda: later)
    assert safe_cache.cache_get_many([f"probe:{user.pk}"]) == {f"probe:{user.pk}": "new"}


def test_a_link_that_is_not_a_whole_number_reads_nothing_ahead(sent):
    for value in ("12abc", "{}", "-3", b"\x80pickled"):
        cache.set("session:k:user", value, 60)
        found = safe_cache.cache_get_linked("session:k", "session:k:user", ("probe:{}",))
        assert found == {"session:k:user": value}
        assert safe_cache._ahead.values is None


def test_without_redis_configured_the_session_and_its_link_are_read_alone(settings, user):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.set("session:k", "s", 60)
    cache.set("session:k:user", user.pk, 60)
    found = safe_cache.cache_get_linked("session:k", "session:k:user", ("probe:{}",))
    assert found == {"session:k": "s", "session:k:user": user.pk}
    assert safe_cache._take_ahead([f"probe:{user.pk}"]) is None


def test_with_redis_down_a_signed_in_page_still_works(client, user, redis_down):
    client.force_login(user)
    assert "Add a job" in _get(client, reverse("jobs:board"))


def test_a_post_reads_no_page_ahead(client, user, sent):
    client.force_login(user)
    url = reverse("jobs:board")
    _get(client, url)
    _get(client, url)
    sent.clear()
    client.post(url, {})
    linked = [command for command in sent if command[0] == "EVALSHA"]
    assert linked
    assert not any(":pages:" in str(a) for command in linked for a in command)


def test_the_addresses_learned_are_bounded(monkeypatch, rf):
    monkeypatch.setattr(pagecache, "_learned", {})
    monkeypatch.setattr(pagecache, "LEARNED", 3)
    for n in range(10):
        pagecache._learn(rf.get(f"/jobs/{n}/"), ("job",))
    assert len(pagecache._learned) <= 3
    assert pagecache._read_with_session(rf.get("/jobs/9/")) == (pagecache.cache_key("{}", "job"),)
    assert pagecache._read_with_session(rf.post("/jobs/9/")) == ()
