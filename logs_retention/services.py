"""Writes of the logs_retention app."""

import time
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import DatabaseError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from jobtrax.net import client_ip
from logs_retention import batches, targets
from logs_retention.locks import policy_lock
from logs_retention.models import InactivityWarning, RetentionRun, SecurityEvent
from logs_retention.policies import get_policy
from logs_retention.targets import targets_for


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
    SecurityEvent.objects.create(
        created_at=timezone.now(),
        kind=kind,
        user_id=user_id,
        ip=client_ip(request) if request is not None else None,
        country=country[:2],
        detail=detail[:200],
    )


def request_log_flush() -> int:
    """Write the buffered request-log entries now (tests, shutdown). Returns rows written."""
    from logs_retention.requestlog import buffer

    return buffer.flush()


def retention_preview(*, policy_name: str, now: datetime | None = None) -> list[tuple[str, str]]:
    """What a run of the policy would touch now: (target, "N rows" or why nothing) pairs."""
    policy = get_policy(policy_name)
    now = now or timezone.now()
    cutoff = now - policy.window
    lines = []
    for target in targets_for(policy.name):
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
    policy = get_policy(policy_name)
    now = now or timezone.now()
    cutoff = now - policy.window
    run = RetentionRun.objects.create(policy=policy.name, cutoff=cutoff, started_at=timezone.now())
    lock = policy_lock(policy.name)
    if not lock.acquire():
        _finish(run, RetentionRun.Outcome.SKIPPED, note="another run of this policy holds the lock")
        return run
    notes: list[str] = []
    try:
        for target in targets_for(policy.name):
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
    seconds = float(getattr(settings, "RETENTION_BATCH_PAUSE_SECONDS", 0))
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


def _run_target(run, target, queryset, *, policy, lock, now) -> str:
    limit = policy.batch_size
    if target.kind in (targets.DELETE_ROWS, targets.ANONYMISE_ROWS):
        cursor = None
        while True:
            # The batch and its count commit together, so the run record is exact even when
            # the process is killed between two batches.
            with transaction.atomic():
                if target.kind == targets.DELETE_ROWS:
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
    # Work that goes row by row (erasure, files, emails): walk the ids with a cursor, so a row
    # that cannot be handled now (a legal hold, say) is passed over instead of retried forever.
    handle, unavailable = _row_handler(target, policy=policy, now=now)
    if handle is None:
        return unavailable
    done = 0
    last = None
    while True:
        ids = batches.ids_batch(queryset, limit=limit, after=last)
        if not ids:
            break
        changed = sum(1 for pk in ids if handle(pk))
        done += changed
        if target.kind == targets.WARN_INACTIVE:
            _count_batch(run)
        else:
            _count_batch(run, deleted=changed)
        lock.renew()
        last = ids[-1]
        if len(ids) < limit:
            break
        _pause()
    return f"{done} warning emails sent" if target.kind == targets.WARN_INACTIVE else ""


def _row_handler(target, *, policy, now):
    if target.kind == targets.ERASE_ACCOUNTS:
        try:
            from privacy.rights.services import account_erase
        except ImportError:
            return None, "erasure path not available"
        return (lambda pk: bool(account_erase(user_id=pk, reason=f"retention:{policy.name}"))), ""
    if target.kind == targets.DROP_EXPORT_FILES:
        return (lambda pk: export_file_drop(export_id=pk, model=target.model_class())), ""
    if target.kind == targets.WARN_INACTIVE:
        return (lambda pk: inactivity_warning_send(user_id=pk, now=now)), ""
    raise ValueError(f"unknown target kind: {target.kind!r}")


def export_file_drop(*, export_id: int, model) -> bool:
    """Delete an export's file from storage and blank the field. Safe to repeat."""
    export = model._base_manager.filter(pk=export_id).first()
    if export is None or not export.file:
        return False
    export.file.storage.delete(export.file.name)
    changes = {"file": ""}
    # Mark it the way the export's own expiry does, when the model knows that state.
    status = getattr(getattr(model, "Status", None), "EXPIRED", None)
    if status is not None:
        changes["status"] = status
    if any(field.name == "size" for field in model._meta.fields):
        changes["size"] = 0
    model._base_manager.filter(pk=export_id).update(**changes)
    return True


def inactivity_warning_send(*, user_id: int, now: datetime | None = None) -> bool:
    """Warn an inactive account that it will be erased unless its owner signs in."""
    from django.contrib.auth import get_user_model

    user = get_user_model()._base_manager.filter(pk=user_id).first()
    if user is None or not user.email:
        return False
    now = now or timezone.now()
    policy = get_policy("inactive_accounts")
    context = {
        "user": user,
        "site_url": settings.SITE_URL,
        "erase_on": now + timedelta(days=targets.INACTIVITY_NOTICE_DAYS),
        "window": policy.window_display,
    }
    send_mail(
        subject=render_to_string("logs_retention/email/inactive_warning_subject.txt", context)
        .strip()
        .replace("\n", " "),
        message=render_to_string("logs_retention/email/inactive_warning_message.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
    InactivityWarning.objects.update_or_create(user_id=user_id, defaults={"sent_at": now})
    return True
