"""Sessions kept in the database and read through Redis: a signed-in request loads its session
with a cache read instead of a query, and carries on with the database alone when Redis cannot
be reached (jobtrax.cache).

Django's cached_db backend does the same but keeps a cached session for the session's whole
lifetime and fails when the cache does on a write. Here a cached copy lives CACHE_SECONDS at
most, so a session ended while Redis was briefly unreachable (its cached copy could not be
deleted) stops working within that time at worst, and never outlives its expiry date.

A signed-in request reads in the same round trip what it will ask for next, by the account's
id kept beside the session (`session:<key>:user`): the account's copy (accounts.snapshots)
and the kept page at its address (jobtrax.pagecache). What to read is declared by those
modules (`read_with_session`); see jobtrax.cache.cache_get_linked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.http import HttpRequest
from django.utils import timezone

from jobtrax.cache import cache_delete_many, cache_get_linked, cache_set_many

CACHE_SECONDS = 300
KEY_PREFIX = "session:"

# Each returns the cache keys a request will read once its account is known, "{}" standing
# for the account's id.
_read_with_session: list[Callable[[HttpRequest], Iterable[str]]] = []


def read_with_session(keys: Callable[[HttpRequest], Iterable[str]]) -> None:
    if keys not in _read_with_session:
        _read_with_session.append(keys)


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, telling the session what the request will read with it."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        session = request.session
        if session.session_key and isinstance(session, SessionStore) and _read_with_session:
            session.read_ahead = tuple(key for keys in _read_with_session for key in keys(request))


class SessionStore(DBStore):
    read_ahead: tuple[str, ...] = ()

    def _cache_key(self, session_key: str | None = None) -> str:
        return KEY_PREFIX + (session_key or self._get_or_create_session_key())

    def _user_key(self, session_key: str | None = None) -> str:
        return self._cache_key(session_key) + ":user"

    def load(self) -> dict:
        if self.session_key is None:
            return {}
        key = self._cache_key()
        cached = cache_get_linked(key, self._user_key(), self.read_ahead).get(key)
        if isinstance(cached, tuple) and len(cached) == 2:
            expires, data = cached
            if expires > timezone.now():
                return data
        row = self._get_session_from_db()  # None (and no key) when missing or expired
        if row is None:
            return {}
        data = self.decode(row.session_data)
        self._keep(data, row.expire_date)
        return data

    def save(self, must_create: bool = False) -> None:
        super().save(must_create=must_create)
        self._keep(self._get_session(no_load=must_create), self.get_expiry_date())

    def delete(self, session_key: str | None = None) -> None:
        key = session_key or self.session_key
        super().delete(session_key)
        if key is not None:
            cache_delete_many([self._cache_key(key), self._user_key(key)])

    def _keep(self, data: dict, expires) -> None:
        left = (expires - timezone.now()).total_seconds()
        if left > 0:
            user = data.get(SESSION_KEY)
            kept = {
                self._cache_key(): (expires, data),
                # Read by a script: a whole number, 0 for none (jobtrax.cache.get_linked).
                self._user_key(): int(user) if str(user).isascii() and str(user).isdigit() else 0,
            }
            cache_set_many(kept, min(CACHE_SECONDS, left))
