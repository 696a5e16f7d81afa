"""One lock per retention policy, so two runs of the same policy never overlap.

With REDIS_URL it is a Redis lock; otherwise a lease row in the database, taken with
SELECT ... FOR UPDATE NOWAIT on PostgreSQL (SQLite serialises writers by itself). Both expire
after RETENTION_LOCK_SECONDS unless renewed, which a run does as it makes progress: a run
killed with SIGKILL blocks the next one for at most that long.
"""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone


def lock_seconds() -> int:
    return settings.RETENTION_LOCK_SECONDS


class _Renewal:
    """Renew at most every quarter of the lock's lifetime: one write, not one per batch."""

    _renewed_at = 0.0

    def due(self) -> bool:
        now = time.monotonic()
        if now - self._renewed_at < lock_seconds() / 4:
            return False
        self._renewed_at = now
        return True


class RedisPolicyLock(_Renewal):
    def __init__(self, policy: str) -> None:
        import redis

        self._client = redis.Redis.from_url(settings.REDIS_URL)
        self._lock = self._client.lock(
            f"jobtrax:retention-lock:{policy}", timeout=lock_seconds(), blocking=False
        )

    def acquire(self) -> bool:
        self._renewed_at = time.monotonic()
        return bool(self._lock.acquire(blocking=False))

    def renew(self) -> None:
        if self.due():
            self._lock.extend(lock_seconds(), replace_ttl=True)

    def release(self) -> None:
        from redis.exceptions import LockError

        try:
            self._lock.release()
        except LockError:
            pass  # it expired; someone else may hold it now
        finally:
            self._client.close()


class DatabasePolicyLock(_Renewal):
    def __init__(self, policy: str) -> None:
        self.policy = policy
        self.holder = uuid.uuid4().hex

    def acquire(self) -> bool:
        from logs_retention.models import RetentionLease

        try:
            with transaction.atomic():
                RetentionLease.objects.get_or_create(policy=self.policy)
        except IntegrityError:
            pass  # created by a concurrent run a moment ago
        now = timezone.now()
        try:
            with transaction.atomic():
                lease = RetentionLease.objects.select_for_update(nowait=True).get(
                    policy=self.policy
                )
                if lease.holder and lease.expires_at and lease.expires_at > now:
                    return False
                lease.holder = self.holder
                self._renewed_at = time.monotonic()
                lease.expires_at = now + timedelta(seconds=lock_seconds())
                lease.save(update_fields=["holder", "expires_at"])
        except DatabaseError:
            return False  # another run is taking it right now
        return True

    def renew(self) -> None:
        from logs_retention.models import RetentionLease

        if not self.due():
            return
        RetentionLease.objects.filter(policy=self.policy, holder=self.holder).update(
            expires_at=timezone.now() + timedelta(seconds=lock_seconds())
        )

    def release(self) -> None:
        from logs_retention.models import RetentionLease

        RetentionLease.objects.filter(policy=self.policy, holder=self.holder).update(
            holder="", expires_at=None
        )


def policy_lock(policy: str) -> RedisPolicyLock | DatabasePolicyLock:
    if settings.REDIS_URL:
        return RedisPolicyLock(policy)
    return DatabasePolicyLock(policy)
