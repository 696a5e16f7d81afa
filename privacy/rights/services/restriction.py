"""Restriction of processing (GDPR Art. 18)."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.utils import timezone

from privacy.rights.models import DataSubjectRequest
from privacy.rights.models import DataSubjectRequest as DSR
from privacy.rights.services.audit import audit_record
from privacy.rights.services.common import RightsError, _mail
from privacy.rights.services.requests import request_complete, request_create

# --- restriction ----------------------------------------------------------------------------


def restriction_apply(
    *, user: AbstractBaseUser, request: HttpRequest | None = None
) -> DataSubjectRequest | None:
    if user.processing_restricted_at is not None:
        return None
    user.processing_restricted_at = timezone.now()
    user.save(update_fields=["processing_restricted_at"])
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
