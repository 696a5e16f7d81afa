"""Deletion: the grace period, its cancellation, legal holds and the erasure itself."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import signing
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from rights.models import DataSubjectRequest, LegalHold
from rights.models import DataSubjectRequest as DSR
from rights.services.audit import audit_record
from rights.services.common import (
    DELETION_CANCEL_SALT,
    RightsError,
    _mail,
    _security_event,
    _site_url,
    deletion_grace,
)
from rights.services.requests import request_account, request_create

# --- deletion -------------------------------------------------------------------------------


def _end_sessions(user: AbstractBaseUser) -> None:
    from allauth.usersessions.models import UserSession

    for session in UserSession.objects.filter(user=user):
        session.end()


def deletion_open_request(user: AbstractBaseUser) -> DataSubjectRequest | None:
    return (
        DSR.objects.filter(
            user=user,
            kind=DSR.Kind.DELETION,
            status=DSR.Status.IN_PROGRESS,
            erase_after__isnull=False,
        )
        .order_by("-received_at")
        .first()
    )


def deletion_start(
    *,
    user: AbstractBaseUser,
    request: HttpRequest | None = None,
    dsr: DataSubjectRequest | None = None,
) -> DataSubjectRequest:
    """Deactivate at once, end every session, stop marketing (processing_restricted answers yes
    for a deactivated account), email a cancel link. Erasure follows after the grace period."""
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        existing = deletion_open_request(user)
        if existing is not None:
            return existing
        if dsr is None:
            dsr = request_create(
                kind=DSR.Kind.DELETION, channel=DSR.Channel.SELF_SERVICE, user=user
            )
        dsr.status = DSR.Status.IN_PROGRESS
        dsr.erase_after = timezone.now() + deletion_grace()
        dsr.save(update_fields=["status", "erase_after"])
        user.is_active = False
        user.save(update_fields=["is_active"])
        _end_sessions(user)
        _security_event("deletion_requested", user_id=user.pk, request=request, detail=str(dsr.pk))
    token = signing.dumps({"r": dsr.pk, "u": user.pk}, salt=DELETION_CANCEL_SALT)
    link = _site_url(reverse("rights:deletion_cancel", args=[token]))
    _mail(
        "deletion_requested",
        user.email,
        {"dsr": dsr, "link": link, "held": legal_hold_active(user_id=user.pk)},
    )
    return dsr


def _reactivate(dsr: DataSubjectRequest, *, by_sign_in: bool = False) -> None:
    dsr.status = DSR.Status.CANCELLED
    dsr.completed_at = timezone.now()
    dsr.save(update_fields=["status", "completed_at"])
    get_user_model().objects.filter(pk=dsr.user_id).update(is_active=True)
    email = get_user_model().objects.filter(pk=dsr.user_id).values_list("email", flat=True)
    _mail(
        "deletion_cancelled",
        email.first() or "",
        {
            "dsr": dsr,
            "by_sign_in": by_sign_in,
            "delete_url": _site_url(reverse("rights:deletion_request")),
            "password_url": _site_url(reverse("account_change_password")),
        },
    )


def deletion_cancel_by_token(*, token: str) -> DataSubjectRequest:
    """The cancel link from the confirmation email; valid during the grace period only."""
    try:
        data = signing.loads(
            token, salt=DELETION_CANCEL_SALT, max_age=deletion_grace().total_seconds()
        )
    except signing.SignatureExpired as exc:
        raise RightsError("This cancel link has expired.") from exc
    except signing.BadSignature as exc:
        raise RightsError("This cancel link is not valid.") from exc
    with transaction.atomic():
        dsr = (
            DSR.objects.select_for_update()
            .filter(pk=data.get("r"), user_id=data.get("u"), kind=DSR.Kind.DELETION)
            .first()
        )
        if dsr is None or dsr.status != DSR.Status.IN_PROGRESS or dsr.reported_minor:
            raise RightsError("This deletion can no longer be cancelled.")
        _reactivate(dsr)
    return dsr


def deletion_pending(user: AbstractBaseUser) -> bool:
    """A self-service deletion still in its grace period (the account may sign in to cancel)."""
    dsr = deletion_open_request(user)
    return bool(dsr and not dsr.reported_minor and dsr.erase_after > timezone.now())


def deletion_cancel_on_login(*, user: AbstractBaseUser) -> bool:
    """Signing in (password and any second factor) during the grace period cancels deletion."""
    if user.is_active or not deletion_pending(user):
        return False
    _reactivate(deletion_open_request(user), by_sign_in=True)
    user.is_active = True
    return True


def deletions_due(*, now: datetime | None = None) -> list[int]:
    return list(
        DSR.objects.filter(
            kind=DSR.Kind.DELETION,
            status=DSR.Status.IN_PROGRESS,
            erase_after__lte=now or timezone.now(),
            user__isnull=False,
        ).values_list("user_id", flat=True)
    )


def account_mark_minor(
    *, dsr: DataSubjectRequest, actor: AbstractBaseUser, note: str = ""
) -> DataSubjectRequest:
    """A reported minor: deactivated at once, erased with no grace period, audited."""
    user = request_account(dsr)
    with transaction.atomic():
        dsr.kind = DSR.Kind.DELETION
        dsr.reported_minor = True
        dsr.status = DSR.Status.IN_PROGRESS
        dsr.erase_after = timezone.now()
        dsr.save(update_fields=["kind", "reported_minor", "status", "erase_after"])
        user.is_active = False
        user.save(update_fields=["is_active"])
        _end_sessions(user)
        audit_record(actor=actor, action="marked_minor", target_user_id=user.pk, dsr=dsr, note=note)
    user_id = user.pk
    transaction.on_commit(lambda: _enqueue_erase(user_id, "minor"))
    return dsr


def _enqueue_erase(user_id: int, reason: str) -> None:
    from rights.tasks import account_erase as task

    task.delay(user_id, reason)


def legal_hold_active(*, user_id: int) -> bool:
    return LegalHold.objects.filter(user_id=user_id, lifted_at__isnull=True).exists()


def legal_hold_place(
    *,
    user: AbstractBaseUser,
    actor: AbstractBaseUser,
    reason: str,
    dsr: DataSubjectRequest | None = None,
) -> LegalHold:
    if not (reason or "").strip():
        raise RightsError("Give the reason for the legal hold.")
    hold = LegalHold.objects.create(user=user, request=dsr, reason=reason.strip())
    audit_record(actor=actor, action="placed_hold", target_user_id=user.pk, dsr=dsr, note=reason)
    return hold


def legal_hold_lift(*, hold: LegalHold, actor: AbstractBaseUser, reason: str) -> LegalHold:
    if not (reason or "").strip():
        raise RightsError("Give the reason for lifting the legal hold.")
    hold.lifted_at = timezone.now()
    hold.lift_reason = reason.strip()
    hold.save(update_fields=["lifted_at", "lift_reason"])
    audit_record(
        actor=actor,
        action="lifted_hold",
        target_user_id=hold.user_id,
        dsr=hold.request,
        note=reason,
    )
    return hold


def legal_holds_lift(*, user_id: int | None, actor: AbstractBaseUser, reason: str) -> int:
    """Lift every active legal hold on an account. Returns how many were lifted."""
    holds = list(LegalHold.objects.filter(user_id=user_id, lifted_at__isnull=True))
    if user_id is None or not holds:
        raise RightsError("This account has no active legal hold.")
    with transaction.atomic():
        for hold in holds:
            legal_hold_lift(hold=hold, actor=actor, reason=reason)
    return len(holds)


def account_erase(*, user_id: int, reason: str) -> bool:
    """Erase an account and every row of its personal data. Idempotent and resumable: each step
    only touches rows still linked to the account, and the user row goes last. Returns True when
    the account was erased by this call, False if it was already gone or is under a legal hold."""
    from rights.erasure import erase_account

    return erase_account(user_id=user_id, reason=reason)
