"""Data exports: asking for one, building it, its download and its file."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from jobtrax import pagecache
from rights.models import DataExport, DataSubjectRequest
from rights.models import DataSubjectRequest as DSR
from rights.services.common import (
    ExportTooSoon,
    _mail,
    _security_event,
    _site_url,
    export_interval,
    export_lifetime,
)
from rights.services.requests import request_complete, request_create

logger = logging.getLogger(__name__)


# --- export ---------------------------------------------------------------------------------


def export_request(
    *,
    user: AbstractBaseUser,
    request: HttpRequest | None = None,
    dsr: DataSubjectRequest | None = None,
    enforce_interval: bool = True,
) -> tuple[DataExport, bool]:
    """Queue an export. Returns (export, created). Twice within the interval: ExportTooSoon;
    a double submission returns the export already queued."""
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        live = DataExport.objects.filter(
            user=user, status__in=[DataExport.Status.PENDING, DataExport.Status.RUNNING]
        ).first()
        if live is not None and not live.is_stalled:
            return live, False
        if live is not None:
            # Its worker died with it: a new export replaces it, and its build, should it
            # still finish, keeps nothing (see export_build).
            live.status = DataExport.Status.FAILED
            live.save(update_fields=["status"])
        last = (
            DataExport.objects.filter(user=user)
            .exclude(status=DataExport.Status.FAILED)
            .order_by("-created_at")
            .first()
        )
        if enforce_interval and last and last.created_at > timezone.now() - export_interval():
            raise ExportTooSoon(last.created_at + export_interval())
        if dsr is None:
            dsr = request_create(kind=DSR.Kind.EXPORT, channel=DSR.Channel.SELF_SERVICE, user=user)
        export = DataExport.objects.create(user=user, request=dsr, token=secrets.token_urlsafe(32))
        _security_event("export_requested", user_id=user.pk, request=request, detail=str(export.pk))
        transaction.on_commit(lambda: _enqueue_export(export.pk))
    return export, True


def _enqueue_export(export_id: int) -> None:
    from rights.tasks import export_build

    export_build.delay(export_id)


def export_build(*, export_id: int) -> bool:
    """Build the zip of an export (see rights.export) and email its owner."""
    from rights.export import build_zip

    # Each claim counts as an attempt, and only the latest claim may finish: a build restarted
    # by the watchdog (or redelivered) overtakes a slow one, which then keeps nothing.
    with transaction.atomic():
        export = (
            DataExport.objects.select_for_update(of=("self",))
            .select_related("user", "request")
            .filter(pk=export_id)
            .first()
        )
        if export is None or export.status not in (
            DataExport.Status.PENDING,
            DataExport.Status.RUNNING,
        ):
            return False
        export.status = DataExport.Status.RUNNING
        export.progress = 0
        export.attempts += 1
        export.heartbeat_at = timezone.now()
        export.save(update_fields=["status", "progress", "attempts", "heartbeat_at"])
    this_build = DataExport.objects.filter(
        pk=export.pk, status=DataExport.Status.RUNNING, attempts=export.attempts
    )
    try:
        build_zip(export)
    except Exception:
        logger.exception("export %s failed", export_id)
        this_build.update(status=DataExport.Status.FAILED)
        pagecache.bump([export.user_id])  # "Your data" lists the export's status
        return False
    now = timezone.now()
    export.status = DataExport.Status.READY
    export.progress = 100
    export.ready_at = now
    export.expires_at = now + export_lifetime()
    saved = this_build.update(
        status=export.status,
        progress=export.progress,
        ready_at=export.ready_at,
        expires_at=export.expires_at,
        file=export.file.name,
        size=export.size,
    )
    pagecache.bump([export.user_id])
    if not saved:
        # The account was erased while the zip was being built, or another build of the same
        # export overtook this one: this zip must not outlive it.
        export.file.storage.delete(export.file.name)
        return False
    if export.request_id and export.request.is_open:
        request_complete(dsr=export.request)
    link = _site_url(reverse("rights:export_detail", args=[export.token]))
    _mail("export_ready", export.user.email, {"export": export, "link": link})
    return True


def export_restart_stalled() -> int:
    """Restart every export whose worker died mid-build (no sign of life for
    RIGHTS_EXPORT_STALL_MINUTES); after RIGHTS_EXPORT_MAX_ATTEMPTS builds, mark it failed so its
    owner can ask again. Returns how many were restarted."""
    from django.db.models import Q

    cutoff = timezone.now() - timedelta(minutes=settings.RIGHTS_EXPORT_STALL_MINUTES)
    stalled = DataExport.objects.filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff),
        status__in=[DataExport.Status.PENDING, DataExport.Status.RUNNING],
    )
    restarted = 0
    for export_id in list(stalled.values_list("pk", flat=True)):
        with transaction.atomic():
            export = stalled.select_for_update().filter(pk=export_id).first()
            if export is None:
                continue  # it moved on since the list was read
            if export.attempts >= settings.RIGHTS_EXPORT_MAX_ATTEMPTS:
                logger.warning(
                    "export %s failed: no progress in %s builds", export.pk, export.attempts
                )
                export.status = DataExport.Status.FAILED
                export.save(update_fields=["status"])
                continue
            # Stamped now, so the next watchdog run waits for this restart before another.
            export.heartbeat_at = timezone.now()
            export.save(update_fields=["heartbeat_at"])
            transaction.on_commit(lambda pk=export.pk: _enqueue_export(pk))
            restarted += 1
    return restarted


def export_record_download(*, export: DataExport, request: HttpRequest) -> None:
    if export.downloaded_at is None:
        export.downloaded_at = timezone.now()
        export.save(update_fields=["downloaded_at"])
    _security_event(
        "export_downloaded", user_id=export.user_id, request=request, detail=str(export.pk)
    )


def export_file_drop(*, export_id: int) -> bool:
    """Delete an export's file from storage and mark the export expired. Safe to repeat."""
    export = DataExport._base_manager.filter(pk=export_id).first()
    if export is None or not export.file:
        return False
    export.file.storage.delete(export.file.name)
    DataExport._base_manager.filter(pk=export_id).update(
        file="", status=DataExport.Status.EXPIRED, size=0
    )
    pagecache.bump([export.user_id])
    return True


def export_workspace_clean() -> int:
    """Remove what killed builds left in the export work folder; the folders of exports still
    being built (not stalled) stay. Called when a worker starts and every hour."""
    from rights.export import work_dir_sweep_orphans

    live = DataExport.objects.filter(
        status__in=[DataExport.Status.PENDING, DataExport.Status.RUNNING]
    )
    live_ids = {export.pk for export in live if not export.is_stalled}
    return work_dir_sweep_orphans(live_ids=live_ids)
