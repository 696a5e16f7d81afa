"""Data-subject requests: creation, deadlines, identity verification, denial and completion."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from rights import deadlines
from rights.models import DataSubjectRequest
from rights.models import DataSubjectRequest as DSR
from rights.services.audit import audit_record
from rights.services.common import (
    VERIFY_LINK_SALT,
    RightsError,
    _code_lifetime,
    _mail,
    _site_url,
)

# --- requests -------------------------------------------------------------------------------


def regime_for(user: AbstractBaseUser | None) -> str:
    """CCPA for accounts located in California, GDPR (the stricter default) otherwise."""
    if user is not None and str(getattr(user, "country", "")) == "US" and user.region == "CA":
        return deadlines.CCPA
    return deadlines.GDPR


def _find_account(email: str) -> AbstractBaseUser | None:
    from allauth.account.models import EmailAddress

    User = get_user_model()
    if not email:
        return None
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
        user = address.user if address else None
    return user


def request_create(
    *,
    kind: str,
    channel: str,
    subject_email: str = "",
    user: AbstractBaseUser | None = None,
    regime: str = "",
    details: str = "",
    received_at: datetime | None = None,
) -> DataSubjectRequest:
    """Open a request. Self-service requests come from a signed-in owner: verified at once."""
    received_at = received_at or timezone.now()
    if user is None:
        user = _find_account(subject_email)
    regime = regime or regime_for(user)
    received = timezone.localdate(received_at)
    self_service = channel == DSR.Channel.SELF_SERVICE
    dsr = DSR(
        kind=kind,
        channel=channel,
        subject_email=subject_email if not self_service else "",
        user=user,
        regime=regime,
        details=details,
        received_at=received_at,
        due_on=deadlines.due_on(regime=regime, received=received),
        acknowledge_by=deadlines.acknowledge_by(regime=regime, received=received),
        status=DSR.Status.IN_PROGRESS if self_service else DSR.Status.RECEIVED,
    )
    if self_service:
        dsr.verified_at = received_at
        dsr.verification_method = "signed_in"
        dsr.acknowledged_at = received_at
    dsr.save()
    return dsr


def _subject_address(dsr: DataSubjectRequest) -> str:
    if dsr.user_id and dsr.user:
        return dsr.user.email
    return dsr.subject_email


def request_extend(
    *, dsr: DataSubjectRequest, actor: AbstractBaseUser, amount: int, reason: str
) -> DataSubjectRequest:
    """Extend a deadline (months under GDPR, days under CCPA); the reason goes to the subject."""
    reason = (reason or "").strip()
    if not reason:
        raise RightsError("Give the reason for the extension: it is sent to the subject.")
    total = dsr.extension + amount
    if amount < 1 or total > deadlines.max_extension(dsr.regime):
        unit = "days" if dsr.regime == deadlines.CCPA else "months"
        raise RightsError(
            f"The deadline can be extended by at most {deadlines.max_extension(dsr.regime)} "
            f"{unit} in all."
        )
    dsr.extension = total
    dsr.extended_at = timezone.now()
    dsr.extension_reason = reason
    dsr.due_on = deadlines.due_on(
        regime=dsr.regime, received=timezone.localdate(dsr.received_at), extension=total
    )
    dsr.save(update_fields=["extension", "extended_at", "extension_reason", "due_on"])
    _mail("request_extended", _subject_address(dsr), {"dsr": dsr})
    audit_record(actor=actor, action="extended", target_user_id=dsr.user_id, dsr=dsr)
    return dsr


def request_acknowledge(*, dsr: DataSubjectRequest, actor: AbstractBaseUser) -> DataSubjectRequest:
    dsr.acknowledged_at = timezone.now()
    dsr.save(update_fields=["acknowledged_at"])
    _mail("request_acknowledged", _subject_address(dsr), {"dsr": dsr})
    audit_record(actor=actor, action="acknowledged", target_user_id=dsr.user_id, dsr=dsr)
    return dsr


def _code_hash(dsr_id: int, code: str) -> str:
    return salted_hmac("jobtrax.rights.code", f"{dsr_id}:{code}", algorithm="sha256").hexdigest()


def request_send_code(*, dsr: DataSubjectRequest, actor: AbstractBaseUser) -> None:
    """Email the subject a one-time code (kept hashed) and a link that proves the address."""
    address = _subject_address(dsr)
    if not address:
        raise RightsError("This request has no email address to send a code to.")
    code = f"{secrets.randbelow(10**8):08d}"
    dsr.code_hash = _code_hash(dsr.pk, code)
    dsr.code_expires_at = timezone.now() + _code_lifetime()
    dsr.code_attempts = 0
    if dsr.status == dsr.Status.RECEIVED:
        dsr.status = dsr.Status.IDENTITY_PENDING
    dsr.save(update_fields=["code_hash", "code_expires_at", "code_attempts", "status"])
    token = signing.dumps({"r": dsr.pk}, salt=VERIFY_LINK_SALT)
    link = _site_url(reverse("rights:request_verify", args=[token]))
    _mail("verification_code", address, {"dsr": dsr, "code": code, "link": link})
    audit_record(actor=actor, action="sent_code", target_user_id=dsr.user_id, dsr=dsr)


def _mark_verified(dsr: DataSubjectRequest, method: str) -> None:
    dsr.verified_at = timezone.now()
    dsr.verification_method = method
    dsr.code_hash = ""
    if dsr.status in (dsr.Status.RECEIVED, dsr.Status.IDENTITY_PENDING):
        dsr.status = dsr.Status.IN_PROGRESS
    dsr.save(update_fields=["verified_at", "verification_method", "code_hash", "status"])


def request_verify_code(*, dsr: DataSubjectRequest, actor: AbstractBaseUser, code: str) -> None:
    """Staff type the code the subject sent back. Five wrong tries void it."""
    if dsr.is_verified:
        return
    if not dsr.code_hash or not dsr.code_expires_at or dsr.code_expires_at < timezone.now():
        raise RightsError("There is no valid code for this request: send a new one.")
    if dsr.code_attempts >= 5:
        raise RightsError("Too many wrong codes: send a new one.")
    if not constant_time_compare(dsr.code_hash, _code_hash(dsr.pk, (code or "").strip())):
        dsr.code_attempts += 1
        dsr.save(update_fields=["code_attempts"])
        raise RightsError("That code is wrong.")
    _mark_verified(dsr, "code")
    audit_record(actor=actor, action="verified", target_user_id=dsr.user_id, dsr=dsr)


def request_verify_link(*, token: str) -> DataSubjectRequest:
    """The subject followed the link sent to their address: that proves control of it."""
    try:
        data = signing.loads(token, salt=VERIFY_LINK_SALT, max_age=_code_lifetime().total_seconds())
    except signing.BadSignature as exc:
        raise RightsError("This link is invalid or has expired.") from exc
    dsr = DSR.objects.filter(pk=data.get("r")).first()
    if dsr is None or not dsr.is_open:
        raise RightsError("This request is closed.")
    if not dsr.is_verified:
        _mark_verified(dsr, "email_link")
    return dsr


def request_deny(
    *, dsr: DataSubjectRequest, actor: AbstractBaseUser, reason: str
) -> DataSubjectRequest:
    if not (reason or "").strip():
        raise RightsError("Give the reason for the denial: it is sent to the subject.")
    dsr.status = dsr.Status.DENIED
    dsr.denial_reason = reason.strip()
    dsr.completed_at = timezone.now()
    dsr.save(update_fields=["status", "denial_reason", "completed_at"])
    _mail("request_denied", _subject_address(dsr), {"dsr": dsr})
    audit_record(actor=actor, action="denied", target_user_id=dsr.user_id, dsr=dsr)
    return dsr


def request_complete(
    *, dsr: DataSubjectRequest, actor: AbstractBaseUser | None = None, note: str = ""
) -> DataSubjectRequest:
    dsr.status = dsr.Status.COMPLETED
    dsr.completed_at = timezone.now()
    dsr.save(update_fields=["status", "completed_at"])
    if actor is not None:
        audit_record(
            actor=actor, action="completed", target_user_id=dsr.user_id, dsr=dsr, note=note
        )
    return dsr


def request_account(dsr: DataSubjectRequest) -> AbstractBaseUser:
    """The account a request is about; a RightsError when no account matches it."""
    if dsr.user_id is None:
        raise RightsError("No account matches this request.")
    return dsr.user
