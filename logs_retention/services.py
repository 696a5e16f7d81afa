"""Writes of the logs_retention app."""

import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from jobtrax import datamap
from jobtrax.datamap import Policy, Target
from jobtrax.mail import Category, mail_send
from jobtrax.net import client_ip, truncate_ip
from logs_retention import batches
from logs_retention.locks import DatabasePolicyLock, RedisPolicyLock, policy_lock
from logs_retention.models import InactivityWarning, RetentionRun, SecurityEvent

# An inactive account is warned this long before it is erased.
INACTIVITY_NOTICE_DAYS = 30


def security_event_record(
    *,
    kind: str,
    user_id: int | None = None,
    request: HttpRequest | None = None,
    country: str = "",
    detail: str = "",
) -> None:
    """Record a security event. `detail` is a short code or id, never personal data."""
    if kind not in SecurityEvent.Kind.values:
        raise ValueError(f"unknown security event kind: {kind!r}")
    ip = client_ip(request) if request is not None else None
    if kind == SecurityEvent.Kind.THROTTLED and not _first_throttle_in_window(ip, user_id, detail):
        return
    SecurityEvent.objects.create(
        created_at=timezone.now(),
        kind=kind,
        user_id=user_id,
        ip=ip,
        country=country[:2],
        detail=detail[:200],
    )


# A client that keeps hammering a rate-limited form is refused each time; recording every
# refusal would let an anonymous client grow the table without limit. One event per client
# (truncated address, or account) and action per window is what a reviewer needs.
THROTTLE_EVENT_WINDOW_SECONDS = 60


def _first_throttle_in_window(ip: str | None, user_id: int | None, detail: str) -> bool:
    from jobtrax.cache import cache_add

    window = int(timezone.now().timestamp() // THROTTLE_EVENT_WINDOW_SECONDS)
    who = f"u{user_id}" if user_id else f"ip{truncate_ip(ip) or '-'}"
    key = f"security:throttled:{who}:{detail[:60]}:{window}"
    return cache_add(key, THROTTLE_EVENT_WINDOW_SECONDS * 2, default=True)


def request_log_flush() -> int:
    """Write the buffered request-log entries now (tests, shutdown). Returns rows written."""
    from logs_retention.requestlog import buffer

    return buffer.flush()


def retention_preview(*, policy_name: str, now: datetime | None = None) -> list[tuple[str, str]]:
    """What a run of the policy would touch now: (target, "N rows" or why nothing) pairs."""
    policy = datamap.policy(policy_name)
    now = now or timezone.now()
    cutoff = now - policy.window
    lines = []
    for target in policy.targets:
        if target.action == datamap.SWEEP_FILES:
            lines.append((target.label, f"{target.sweep(cutoff=cutoff, execute=False)} left over"))
            continue
        queryset = target.queryset(cutoff, now)
        if queryset is None:
            lines.append((target.label, "model not available"))
        else:
            lines.append((target.label, f"{queryset.count()} rows"))
    return lines


def retention_run(*, policy_name: str, now: datetime | None = None) -> RetentionRun:
    """Run one policy to the end, in short batches, under the policy's lock.

    Idempotent (a second run finds nothing due) and resumable (each batch commits on its own,
    so a run killed half-way leaves whole batches done and the next run does the rest).
    """
    policy = datamap.policy(policy_name)
    now = now or timezone.now()
    cutoff = now - policy.window
    run = RetentionRun.objects.create(policy=policy.name, cutoff=cutoff, started_at=timezone.now())
    lock = policy_lock(policy.name)
    if not lock.acquire():
        _finish(run, RetentionRun.Outcome.SKIPPED, note="another run of this policy holds the lock")
        return run
    notes: list[str] = []
    try:
        for target in policy.targets:
            if target.action == datamap.SWEEP_FILES:
                _count_batch(run, deleted=target.sweep(cutoff=cutoff, execute=True))
                continue
            queryset = target.queryset(cutoff, now)
            if queryset is None:
                notes.append(f"{target.label}: model not available")
                continue
            note = _run_target(run, target, queryset, policy=policy, lock=lock, now=now)
            if note:
                notes.append(f"{target.label}: {note}")
    except Exception as exc:
        _finish(run, RetentionRun.Outcome.FAILED, note="; ".join(notes), error=_describe(exc))
        raise
    finally:
        lock.release()
    _finish(run, RetentionRun.Outcome.DONE, note="; ".join(notes))
    return run


def _describe(exc: Exception) -> str:
    """What went wrong, without personal data: a database error may quote row values, so for
    those only the class and the SQLSTATE code are kept (the full error goes to Sentry)."""
    if isinstance(exc, DatabaseError):
        code = getattr(exc.__cause__, "sqlstate", None) or getattr(exc.__cause__, "pgcode", None)
        return f"{type(exc).__name__} (SQLSTATE {code or 'unknown'})"
    return f"{type(exc).__name__}: {str(exc)[:300]}"


def _finish(run: RetentionRun, outcome: str, *, note: str = "", error: str = "") -> None:
    run.outcome = outcome
    run.note = note[:200]
    run.error = error
    run.finished_at = timezone.now()
    run.save(update_fields=["outcome", "note", "error", "finished_at"])


def _pause() -> None:
    seconds = settings.RETENTION_BATCH_PAUSE_SECONDS
    if seconds > 0:
        time.sleep(seconds)


def _count_batch(run: RetentionRun, *, anonymised: int = 0, deleted: int = 0) -> None:
    run.batches += 1
    run.rows_anonymised += anonymised
    run.rows_deleted += deleted
    RetentionRun.objects.filter(pk=run.pk).update(
        batches=F("batches") + 1,
        rows_anonymised=F("rows_anonymised") + anonymised,
        rows_deleted=F("rows_deleted") + deleted,
    )


def _run_target(
    run: RetentionRun,
    target: Target,
    queryset: QuerySet,
    *,
    policy: Policy,
    lock: RedisPolicyLock | DatabasePolicyLock,
    now: datetime,
) -> str:
    limit = policy.batch_size
    if target.action in (datamap.DELETE_ROWS, datamap.ANONYMISE_ROWS):
        cursor = None
        while True:
            # The batch and its count commit together, so the run record is exact even when
            # the process is killed between two batches.
            with transaction.atomic():
                if target.action == datamap.DELETE_ROWS:
                    changed, cursor = batches.delete_batch(
                        queryset, limit=limit, after=cursor, order=target.order
                    )
                    _count_batch(run, deleted=changed)
                else:
                    changed, cursor = batches.update_batch(
                        queryset,
                        limit=limit,
                        values=target.values(now),
                        after=cursor,
                        order=target.order,
                    )
                    _count_batch(run, anonymised=changed)
            lock.renew()
            if cursor is None:
                return ""
            _pause()
    if target.action != datamap.EACH_ROW or target.handle is None:
        raise ValueError(f"unknown target action: {target.action!r}")
    # Work that goes row by row (erasure, files, emails): walk the ids with a cursor, so a row
    # that cannot be handled now (a legal hold, say) is passed over instead of retried forever.
    done = 0
    last = None
    while True:
        ids = batches.ids_batch(queryset, limit=limit, after=last)
        if not ids:
            break
        changed = sum(1 for pk in ids if target.handle(pk, policy=policy, now=now))
        done += changed
        _count_batch(run, deleted=changed if target.counts_as_deleted else 0)
        lock.renew()
        last = ids[-1]
        if len(ids) < limit:
            break
        _pause()
    return target.done_note.format(done=done) if target.done_note else ""


def inactivity_warning_send(*, user_id: int, now: datetime | None = None) -> bool:
    """Warn an inactive account that it will be erased unless its owner signs in."""
    from django.contrib.auth import get_user_model

    user = get_user_model()._base_manager.filter(pk=user_id).first()
    if user is None or not user.email:
        return False
    now = now or timezone.now()
    policy = datamap.policy("inactive_accounts")
    context = {
        "user": user,
        "erase_on": now + timedelta(days=INACTIVITY_NOTICE_DAYS),
        "window": policy.window_display,
    }
    # Recorded after the send, unlike other mail: the record starts the countdown to erasure,
    # so a warning that failed to leave must not count; a second warning does no harm.
    mail_send(
        to=user.email,
        template="logs_retention/email/inactive_warning",
        context=context,
        category=Category.RETENTION,
    )
    InactivityWarning.objects.update_or_create(user_id=user_id, defaults={"sent_at": now})
    return True
