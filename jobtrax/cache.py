"""The cache as an optimisation: reads and writes that carry on when it cannot be reached.

The notice and consent read through here, so they keep working on the database alone while
Redis is down. Rate limits do not: they use the cache directly, so an outage refuses the
limited action (a 503, see jobtrax.views.server_error) instead of allowing it without a count.
"""

import logging
import time
from typing import Any

from django.core.cache import cache

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


def cache_set(key: str, value: Any, timeout: float | None) -> None:
    if not _available():
        return
    try:
        cache.set(key, value, timeout)
    except CACHE_ERRORS as error:
        _failed("set", error)


def cache_delete_many(keys: list[str]) -> None:
    """Deletes are tried even during a pause: a stale entry is worse than a slow write."""
    try:
        cache.delete_many(keys)
    except CACHE_ERRORS as error:
        _failed("delete", error)


def cache_delete(key: str) -> None:
    cache_delete_many([key])
