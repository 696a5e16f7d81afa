"""Per-token rate limit on the shared cache (Redis in production): a fixed one-minute window.

The answer carries the limit in the IETF httpapi draft's structured headers:
`RateLimit-Policy: "minute";q=120;w=60` and `RateLimit: "minute";r=<left>;t=<seconds to reset>`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

WINDOW = 60


@dataclass(frozen=True)
class Quota:
    limit: int
    remaining: int
    reset: int

    @property
    def exceeded(self) -> bool:
        return self.remaining < 0

    def headers(self) -> dict[str, str]:
        return {
            "RateLimit-Policy": f'"minute";q={self.limit};w={WINDOW}',
            "RateLimit": f'"minute";r={max(self.remaining, 0)};t={self.reset}',
        }


def quota_take(token_id: int) -> Quota:
    """Count one request for the token in this minute."""
    now = time.time()
    window = int(now // WINDOW)
    key = f"api:rate:{token_id}:{window}"
    cache.add(key, 0, WINDOW + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW + 5)
        count = 1
    limit = settings.API_REQUESTS_PER_MINUTE
    reset = max(1, int((window + 1) * WINDOW - now))
    return Quota(limit=limit, remaining=limit - count, reset=reset)
