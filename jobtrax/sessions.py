"""Sessions kept in the database and read through Redis: a signed-in request loads its session
with a cache read instead of a query, and carries on with the database alone when Redis cannot
be reached (jobtrax.cache).

Django's cached_db backend does the same but keeps a cached session for the session's whole
lifetime and fails when the cache does on a write. Here a cached copy lives CACHE_SECONDS at
most, so a session ended while Redis was briefly unreachable (its cached copy could not be
deleted) stops working within that time at worst, and never outlives its expiry date.
"""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.utils import timezone

from jobtrax.cache import cache_delete, cache_get, cache_set

CACHE_SECONDS = 300
KEY_PREFIX = "session:"


class SessionStore(DBStore):
    def _cache_key(self, session_key: str | None = None) -> str:
        return KEY_PREFIX + (session_key or self._get_or_create_session_key())

    def load(self) -> dict:
        if self.session_key is None:
            return {}
        cached = cache_get(self._cache_key())
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
            cache_delete(self._cache_key(key))

    def _keep(self, data: dict, expires) -> None:
        left = (expires - timezone.now()).total_seconds()
        if left > 0:
            cache_set(self._cache_key(), (expires, data), min(CACHE_SECONDS, left))
