"""Restriction of processing (GDPR Art. 18) and objection to it (Art. 21)."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from rights.models import DataSubjectRequest
from rights.models import DataSubjectRequest as DSR
from rights.services.audit import audit_record
from rights.services.common import RightsError, _mail
from rights.services.requests import request_complete, request_create, request_deny


def _check_staff_request(
    *, user: AbstractBaseUser, actor: AbstractBaseUser | None, dsr: DataSubjectRequest | None
) -> None:
    """Staff act on a request by email only once its subject proved who they are."""
    if actor is None:
        return
    if dsr is None or dsr.user_id != user.pk:
        raise RightsError("Act from the request about this account.")
    if not dsr.is_verified:
        raise RightsError("Verify the subject's identity first.")
    if not dsr.is_open:
        raise RightsError("This request is closed.")


# --- restriction ----------------------------------------------------------------------------


def restriction_apply(
    *,
    user: AbstractBaseUser,
    request: HttpRequest | None = None,
    actor: AbstractBaseUser | None = None,
    dsr: DataSubjectRequest | None = None,
) -> DataSubjectRequest | None:
    """Restrict processing: by the signed-in user, or by staff for a verified emailed request.

    Returns the completed request, or None when processing was already restricted.
    """
    _check_staff_request(user=user, actor=actor, dsr=dsr)
    if user.processing_restricted_at is not None:
        return None
    user.processing_restricted_at = timezone.now()
    user.save(update_fields=["processing_restricted_at"])
    if actor is not None:
        audit_record(actor=actor, action="restricted", target_user_id=user.pk, dsr=dsr)
    else:
        dsr = request_create(kind=DSR.Kind.RESTRICTION, channel=DSR.Channel.SELF_SERVICE, user=user)
    return request_complete(dsr=dsr)


def restriction_lift(
    *,
    user: AbstractBaseUser,
    actor: AbstractBaseUser,
    reason: str,
    dsr: DataSubjectRequest | None = None,
) -> AbstractBaseUser:
    """Lift a restriction (GDPR Art. 18(3)): the user is emailed first, then it is lifted.

    If the email cannot be sent, the restriction stays.
    """
    if not (reason or "").strip():
        raise RightsError("Give the reason for lifting the restriction: it is sent to the user.")
    if user.processing_restricted_at is None:
        raise RightsError("Processing of this account is not restricted.")
    _mail("restriction_lifting", user.email, {"user": user, "reason": reason.strip()})
    user.processing_restricted_at = None
    user.save(update_fields=["processing_restricted_at"])
    audit_record(
        actor=actor, action="lifted_restriction", target_user_id=user.pk, dsr=dsr, note=reason
    )
    return user


# --- objection ------------------------------------------------------------------------------


def objection_apply(
    *,
    user: AbstractBaseUser,
    reason: str = "",
    actor: AbstractBaseUser | None = None,
    dsr: DataSubjectRequest | None = None,
) -> DataSubjectRequest:
    """Object to processing on legitimate interests (GDPR Art. 21): it stops at once.

    What stops is what `User.processing_objected` gates. The request stays open for the privacy
    team, who answer within its legal deadline. From the "Your data" page a request is opened
    with the user's reason; staff record an emailed objection on its verified request.
    """
    _check_staff_request(user=user, actor=actor, dsr=dsr)
    if actor is None:
        dsr = request_create(
            kind=DSR.Kind.OBJECTION,
            channel=DSR.Channel.SELF_SERVICE,
            user=user,
            details=(reason or "").strip(),
        )
    if user.processing_objected_at is None:
        user.processing_objected_at = timezone.now()
        user.save(update_fields=["processing_objected_at"])
    if actor is not None:
        audit_record(actor=actor, action="recorded_objection", target_user_id=user.pk, dsr=dsr)
    return dsr


def objection_lift(
    *, user: AbstractBaseUser, actor: AbstractBaseUser, reason: str, dsr: DataSubjectRequest
) -> AbstractBaseUser:
    """Refuse an objection on compelling legitimate grounds (GDPR Art. 21(1)): the request is
    denied with the grounds, emailed to the person, and only then does the processing resume.

    If the email cannot be sent, the objection stays.
    """
    if not (reason or "").strip():
        raise RightsError("Give the compelling grounds: they are sent to the person.")
    if dsr.kind != DSR.Kind.OBJECTION or dsr.user_id != user.pk or not dsr.is_open:
        raise RightsError("Lift an objection from the open objection request of this account.")
    if user.processing_objected_at is None:
        raise RightsError("This account has no objection in effect.")
    with transaction.atomic():
        request_deny(dsr=dsr, actor=actor, reason=reason)
        user.processing_objected_at = None
        user.save(update_fields=["processing_objected_at"])
        audit_record(
            actor=actor, action="lifted_objection", target_user_id=user.pk, dsr=dsr, note=reason
        )
    return user
