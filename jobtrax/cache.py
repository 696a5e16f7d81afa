"""The cache as an optimisation: reads and writes that carry on when it cannot be reached.

The notice and consent read through here, so they keep working on the database alone while
Redis is down. Rate limits do not: they use the cache directly, so an outage refuses the
limited action (a 503, see jobtrax.views.server_error) instead of allowing it without a count.
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.core.signals import request_finished, request_started, setting_changed

logger = logging.getLogger(__name__)

# After a failure the cache is skipped for a moment, so a page does not wait on every call.
_PAUSE_SECONDS = 5.0
_skip_until = 0.0


def _errors() -> tuple[type[BaseException], ...]:
    try:
        from redis.exceptions import RedisError
    except ImportError:  # pragma: no cover - redis is a dependency
        return (OSError,)
    return (OSError, RedisError)


CACHE_ERRORS = _errors()


def _available() -> bool:
    return time.monotonic() >= _skip_until


def _failed(operation: str, error: BaseException) -> None:
    global _skip_until
    _skip_until = time.monotonic() + _PAUSE_SECONDS
    # The error class only: messages and keys may name an account.
    logger.warning("cache unreachable, %s skipped (%s)", operation, type(error).__name__)


def reset() -> None:
    """Forget an earlier failure (for tests, and for a cache configured anew)."""
    global _skip_until
    _skip_until = 0.0


def cache_get(key: str, default: Any = None) -> Any:
    if not _available():
        return default
    try:
        return cache.get(key, default)
    except CACHE_ERRORS as error:
        _failed("get", error)
        return default


def cache_get_many(keys: list[str]) -> dict[str, Any]:
    """The keys found, in one round trip (none if they were all read ahead for this request);
    none while the cache cannot be reached."""
    ahead = _take_ahead(keys)
    if ahead is not None:
        return ahead
    if not _available():
        return {}
    try:
        return cache.get_many(keys)
    except CACHE_ERRORS as error:
        _failed("get", error)
        return {}


def cache_set(key: str, value: Any, timeout: float | None) -> None:
    forget_ahead()
    if not _available():
        return
    try:
        cache.set(key, value, timeout)
    except CACHE_ERRORS as error:
        _failed("set", error)


def cache_add(key: str, timeout: float, *, default: bool) -> bool:
    """True if the key was not there and is now (a "first in this window" test); `default`
    when the cache cannot be reached."""
    forget_ahead()
    if not _available():
        return default
    try:
        return bool(cache.add(key, 1, timeout))
    except CACHE_ERRORS as error:
        _failed("add", error)
        return default


def cache_add_value(key: str, value: Any, timeout: float) -> bool:
    """Set `key` to `value` if it is not there: True if this call set it, False if it was
    there or the cache cannot be reached."""
    forget_ahead()
    if not _available():
        return False
    try:
        return bool(cache.add(key, value, timeout))
    except CACHE_ERRORS as error:
        _failed("add", error)
        return False


def cache_delete_many(keys: list[str]) -> None:
    """Deletes are tried even during a pause: a stale entry is worse than a slow write."""
    forget_ahead()
    _forget_local(keys)
    try:
        cache.delete_many(keys)
    except CACHE_ERRORS as error:
        _failed("delete", error)


def cache_delete(key: str) -> None:
    cache_delete_many([key])


def cache_set_many(values: dict[str, Any], timeout: float) -> None:
    """Set every key, in one round trip."""
    forget_ahead()
    if not _available():
        return
    try:
        cache.set_many(values, timeout)
    except CACHE_ERRORS as error:
        _failed("set", error)


# Reading ahead: what the request under way will ask for, read in the round trip that reads
# its session (jobtrax.sessions). The values are held for this thread's request and handed,
# once, to the first cache_get_many asking for keys that were all read ahead; that is what
# the same read would have found a moment earlier, the moment any read may be answered from.
# Anything this process writes or deletes drops them (a value read ahead might be the one
# just replaced), and so does the start and end of every request; they live AHEAD_SECONDS at
# most even outside one (a task, a shell).
AHEAD_SECONDS = 1.0
_ahead = threading.local()


def _take_ahead(keys: list[str]) -> dict[str, Any] | None:
    held = getattr(_ahead, "values", None)
    if not held or any(key not in held for key in keys):
        return None
    if time.monotonic() > _ahead.until:
        _ahead.values = None
        return None
    found = {}
    for key in keys:
        value = held.pop(key)
        if value is not _MISSING:
            found[key] = value
    return found


def forget_ahead(**kwargs: Any) -> None:
    _ahead.values = None


request_started.connect(forget_ahead, dispatch_uid="jobtrax.cache.ahead_started")
request_finished.connect(forget_ahead, dispatch_uid="jobtrax.cache.ahead_finished")


def cache_get_linked(key: str, link: str, then: tuple[str, ...]) -> dict[str, Any]:
    """`key` and `link` as cache_get_many finds them; and when `link` holds a positive whole
    number N (an account's id), each of `then` with "{}" replaced by N is read ahead for this
    request (see above). On Redis all of it is one round trip; elsewhere only the first two
    are read."""
    forget_ahead()
    if not _available():
        return {}
    backend = caches["default"]
    try:
        if not then or not isinstance(backend, ReusedClientRedisCache):
            return cache.get_many([key, link])
        found, ahead = backend.get_linked(key, link, then)
    except CACHE_ERRORS as error:
        _failed("get", error)
        return {}
    if ahead:
        _ahead.values, _ahead.until = ahead, time.monotonic() + AHEAD_SECONDS
    return found


# A per-process memo in front of the shared cache, for the few values every page view reads
# (the notice in force, the latest material change). An entry lives LOCAL_SECONDS, so a change
# made in another process shows here within that time, as the shared cache's own expiry
# already bounds it for a process running without Redis. A change made through this process
# (cache_delete_many) is forgotten here at once.
LOCAL_SECONDS = 5.0
_local: dict[str, tuple[float, Any]] = {}
_local_lock = threading.Lock()
_MISSING = object()


# Raised whenever memos are forgotten, so what was built from them (jobtrax.visitorcache) is
# built again too.
generation = 0


def local_clear() -> None:
    global generation
    with _local_lock:
        _local.clear()
        generation += 1


def memoised(key: str, compute: Callable[[], Any], *, seconds: float = LOCAL_SECONDS) -> Any:
    """compute()'s value, computed at most once every `seconds` in this process."""
    now = time.monotonic()
    entry = _local.get(key)
    if entry is not None and entry[0] > now:
        return entry[1]
    value = compute()
    with _local_lock:
        _local[key] = (now + seconds, value)
    return value


def _forget_local(keys: list[str]) -> None:
    global generation
    with _local_lock:
        for key in keys:
            _local.pop(key, None)
        generation += 1


def _on_setting_changed(**kwargs: Any) -> None:
    # Values memoised here may depend on settings (rendered text, the cache itself).
    local_clear()


setting_changed.connect(_on_setting_changed, dispatch_uid="jobtrax.cache.local_clear")


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client builds a redis.Redis object on every call; this one keeps one per pool."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


# GET KEYS[1] and KEYS[2]; when KEYS[2] holds a positive whole number, GET each ARGV with
# "{}" replaced by it. Keys are made by the script, so this needs one Redis server, not a
# cluster (which Django's RedisCache does not speak either).
_LINKED = """
local found = {redis.call('GET', KEYS[1]), redis.call('GET', KEYS[2])}
local id = found[2]
if id and string.match(id, '^[1-9][0-9]*$') then
  for i = 1, #ARGV do
    local name = string.gsub(ARGV[i], '{}', id)
    found[i + 2] = redis.call('GET', name)
  end
end
return found
"""


class ReusedClientRedisCache(RedisCache):
    """Django's RedisCache with one redis client object per process (and pool)."""

    def __init__(self, server: str, params: dict) -> None:
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._linked_scripts: dict[int, Any] = {}

    def get_linked(self, key: str, link: str,
                   then: tuple[str, ...]) -> tuple[dict[str, Any], dict[str, Any]]:  # fmt: skip
        """({key: value, link: value} as found, {each of `then` with "{}" replaced: its value
        or _MISSING}), in one round trip (see _LINKED)."""
        client = self._cache.get_client(None)
        script = self._linked_scripts.get(id(client))
        if script is None:
            script = self._linked_scripts[id(client)] = client.register_script(_LINKED)
        names = [self.make_and_validate_key(name) for name in (key, link)]
        templates = [self.make_and_validate_key(template) for template in then]
        values = script(keys=names, args=templates)
        loads = self._cache._serializer.loads
        found = {
            name: loads(value)
            for name, value in zip((key, link), values[:2], strict=True)
            if value is not None
        }
        ahead: dict[str, Any] = {}
        if len(values) > 2:
            number = str(found[link])
            for template, value in zip(then, values[2:], strict=True):
                ahead[template.replace("{}", number)] = _MISSING if value is None else loads(value)
        return found, ahead
