"""Data-subject rights. Every write with side effects has one function here."""

import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from jobtrax import datamap
from privacy.rights import deadlines

logger = logging.getLogger(__name__)

DELETION_CANCEL_SALT = "jobtrax.rights.deletion-cancel"
VERIFY_LINK_SALT = "jobtrax.rights.verify-request"
_EMAIL_RE = re.compile(r"[^\s@]+@[^\s@]+")


class RightsError(Exception):
    """A rights action that cannot run; the message is shown to the person who asked."""


class ExportTooSoon(RightsError):
    def __init__(self, next_at):
        self.next_at = next_at
        super().__init__(
            "You can ask for one export every 24 hours. "
            f"You can ask again after {next_at:%d %B %Y, %H:%M} UTC."
        )


# --- settings, read lazily ------------------------------------------------------------------


def _grace() -> timedelta:
    return timedelta(days=settings.RIGHTS_DELETION_GRACE_DAYS)


def export_lifetime() -> timedelta:
    # The retention policy is the single source: the link dies when the file is purged.
    return datamap.policy("export_files").window


def export_interval() -> timedelta:
    return timedelta(hours=settings.RIGHTS_EXPORT_INTERVAL_HOURS)


def _code_lifetime() -> timedelta:
    return timedelta(hours=settings.RIGHTS_VERIFICATION_CODE_HOURS)


def _site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


# --- mail and audit -------------------------------------------------------------------------


def _mail(template: str, to: str, context: dict) -> None:
    """Plain-text mail from templates/rights/email/<template>_{subject,message}.txt."""
    if not to:
        return
    context = {"site_url": settings.SITE_URL, **context}
    subject = render_to_string(f"rights/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"rights/email/{template}_message.txt", context)
    prefix = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
    EmailMessage(f"{prefix}{subject}", body, settings.DEFAULT_FROM_EMAIL, [to]).send()


def email_hmac(email: str) -> str:
    """A keyed hash of an address, so a repeat request can be recognised without keeping it."""
    key = settings.RIGHTS_RECEIPT_HMAC_KEY or settings.SECRET_KEY
    return salted_hmac(
        "jobtrax.rights.receipt", email.strip().lower(), secret=key, algorithm="sha256"
    ).hexdigest()


def audit_record(*, actor, action: str, target_user_id: int | None = None, dsr=None, note=""):
    """Record a staff action on personal data, and the matching security event.

    Email addresses are cut out of the note: the audit trail never holds one.
    """
    from logs_retention.services import security_event_record
    from privacy.rights.models import AuditRecord

    note = _EMAIL_RE.sub("[address removed]", note or "")[:500]
    record = AuditRecord.objects.create(
        actor=actor,
        action=action,
        target_user_id=target_user_id,
        request=dsr,
        note=note,
    )
    security_event_record(
        kind="staff_action",
        user_id=getattr(actor, "pk", None),
        detail=f"{action} request={getattr(dsr, 'pk', '') or ''} user={target_user_id or ''}",
    )
    return record


def _security_event(kind: str, *, user_id: int | None, request=None, detail: str = "") -> None:
    from logs_retention.services import security_event_record

    security_event_record(kind=kind, user_id=user_id, request=request, detail=detail)


# --- requests -------------------------------------------------------------------------------


def regime_for(user) -> str:
    """CCPA for accounts located in California, GDPR (the stricter default) otherwise."""
    if user is not None and str(getattr(user, "country", "")) == "US" and user.region == "CA":
        return deadlines.CCPA
    return deadlines.GDPR


def _find_account(email: str):
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
    user=None,
    regime: str = "",
    details: str = "",
    received_at=None,
):
    """Open a request. Self-service requests come from a signed-in owner: verified at once."""
    from privacy.rights.models import DataSubjectRequest as DSR

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


def _subject_address(dsr) -> str:
    if dsr.user_id and dsr.user:
        return dsr.user.email
    return dsr.subject_email


def request_extend(*, dsr, actor, amount: int, reason: str):
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


def request_acknowledge(*, dsr, actor):
    dsr.acknowledged_at = timezone.now()
    dsr.save(update_fields=["acknowledged_at"])
    _mail("request_acknowledged", _subject_address(dsr), {"dsr": dsr})
    audit_record(actor=actor, action="acknowledged", target_user_id=dsr.user_id, dsr=dsr)
    return dsr


def _code_hash(dsr_id: int, code: str) -> str:
    return salted_hmac("jobtrax.rights.code", f"{dsr_id}:{code}", algorithm="sha256").hexdigest()


def request_send_code(*, dsr, actor) -> None:
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


def _mark_verified(dsr, method: str) -> None:
    dsr.verified_at = timezone.now()
    dsr.verification_method = method
    dsr.code_hash = ""
    if dsr.status in (dsr.Status.RECEIVED, dsr.Status.IDENTITY_PENDING):
        dsr.status = dsr.Status.IN_PROGRESS
    dsr.save(update_fields=["verified_at", "verification_method", "code_hash", "status"])


def request_verify_code(*, dsr, actor, code: str) -> None:
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


def request_verify_link(*, token: str):
    """The subject followed the link sent to their address: that proves control of it."""
    from privacy.rights.models import DataSubjectRequest as DSR

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


def request_deny(*, dsr, actor, reason: str):
    if not (reason or "").strip():
        raise RightsError("Give the reason for the denial: it is sent to the subject.")
    dsr.status = dsr.Status.DENIED
    dsr.denial_reason = reason.strip()
    dsr.completed_at = timezone.now()
    dsr.save(update_fields=["status", "denial_reason", "completed_at"])
    _mail("request_denied", _subject_address(dsr), {"dsr": dsr})
    audit_record(actor=actor, action="denied", target_user_id=dsr.user_id, dsr=dsr)
    return dsr


def request_complete(*, dsr, actor=None, note: str = ""):
    dsr.status = dsr.Status.COMPLETED
    dsr.completed_at = timezone.now()
    dsr.save(update_fields=["status", "completed_at"])
    if actor is not None:
        audit_record(
            actor=actor, action="completed", target_user_id=dsr.user_id, dsr=dsr, note=note
        )
    return dsr


def _require_verified_account(dsr):
    if not dsr.is_verified:
        raise RightsError("Verify the subject's identity first.")
    if not dsr.is_open:
        raise RightsError("This request is closed.")
    if dsr.user_id is None:
        raise RightsError("No account matches this request.")
    return dsr.user


def request_run_export(*, dsr, actor):
    if dsr.kind not in (dsr.Kind.ACCESS, dsr.Kind.EXPORT):
        raise RightsError("Only an access or export request can run an export.")
    if dsr.user_id is None and dsr.subject_email:
        return _export_by_address(dsr=dsr, actor=actor)
    user = _require_verified_account(dsr)
    export, _ = export_request(user=user, dsr=dsr, enforce_interval=False)
    audit_record(actor=actor, action="ran_export", target_user_id=user.pk, dsr=dsr)
    return export


def request_run_erasure(*, dsr, actor):
    """Start the erasure the subject asked for: the usual grace period and cancel link apply."""
    if dsr.kind != dsr.Kind.DELETION:
        raise RightsError("Only a deletion request can run an erasure.")
    if dsr.user_id is None and dsr.subject_email:
        return _erase_by_address(dsr=dsr, actor=actor)
    user = _require_verified_account(dsr)
    deletion_start(user=user, dsr=dsr)
    audit_record(actor=actor, action="erased", target_user_id=user.pk, dsr=dsr)
    return dsr


# Someone without an account may still be in records kept by email address (messages sent
# through the contact form). The apps keeping such records register them here; a verified
# request that names the address reaches them.


@dataclass(frozen=True)
class AddressRecords:
    name: str
    export: Callable[[str], list[dict]]  # export(address) -> rows, as plain values
    erase: Callable[[str], int]  # erase(address) -> rows deleted


_address_records: dict[str, AddressRecords] = {}


def address_records_register(
    *, name: str, export: Callable[[str], list[dict]], erase: Callable[[str], int]
) -> None:
    _address_records[name] = AddressRecords(name, export, erase)


def _require_verified_address(dsr) -> str:
    if not dsr.is_verified:
        raise RightsError("Verify the subject's identity first.")
    if not dsr.is_open:
        raise RightsError("This request is closed.")
    return dsr.subject_email


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def _export_by_address(*, dsr, actor):
    """Email the subject a JSON copy of what is kept under their address, then complete."""
    import json

    address = _require_verified_address(dsr)
    records = {
        item.name: [{key: _plain(value) for key, value in row.items()} for row in rows]
        for item in _address_records.values()
        for rows in [item.export(address)]
    }
    count = sum(len(rows) for rows in records.values())
    data = {"generated_at": timezone.now().isoformat(), **records}
    context = {"dsr": dsr, "count": count, "site_url": settings.SITE_URL}
    subject = render_to_string("rights/email/address_export_subject.txt", context).strip()
    body = render_to_string("rights/email/address_export_message.txt", context)
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    message = EmailMessage(f"{prefix}{subject}", body, settings.DEFAULT_FROM_EMAIL, [address])
    message.attach("jobtrax-data.json", json.dumps(data, indent=2), "application/json")
    message.send()
    audit_record(actor=actor, action="ran_export", dsr=dsr, note=f"{count} records by address")
    return request_complete(dsr=dsr, actor=actor)


def _erase_by_address(*, dsr, actor):
    """Delete what is kept under the subject's address, then complete the request."""
    address = _require_verified_address(dsr)
    with transaction.atomic():
        deleted = sum(item.erase(address) for item in _address_records.values())
        audit_record(actor=actor, action="erased", dsr=dsr, note=f"{deleted} records by address")
    return request_complete(dsr=dsr, actor=actor)


# --- export ---------------------------------------------------------------------------------


def export_request(*, user, request: HttpRequest | None = None, dsr=None, enforce_interval=True):
    """Queue an export. Returns (export, created). Twice within the interval: ExportTooSoon;
    a double submission returns the export already queued."""
    from privacy.rights.models import DataExport
    from privacy.rights.models import DataSubjectRequest as DSR

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
    from privacy.rights.tasks import export_build

    export_build.delay(export_id)


def export_build(*, export_id: int) -> bool:
    """Build the zip of an export (see privacy.rights.export) and email its owner."""
    from privacy.rights.export import build_zip
    from privacy.rights.models import DataExport

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

    from privacy.rights.models import DataExport

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


def export_record_download(*, export, request: HttpRequest) -> None:
    if export.downloaded_at is None:
        export.downloaded_at = timezone.now()
        export.save(update_fields=["downloaded_at"])
    _security_event(
        "export_downloaded", user_id=export.user_id, request=request, detail=str(export.pk)
    )


# --- restriction ----------------------------------------------------------------------------


def restriction_apply(*, user, request: HttpRequest | None = None):
    from privacy.rights.models import DataSubjectRequest as DSR

    if user.processing_restricted_at is not None:
        return None
    user.processing_restricted_at = timezone.now()
    user.save(update_fields=["processing_restricted_at"])
    dsr = request_create(kind=DSR.Kind.RESTRICTION, channel=DSR.Channel.SELF_SERVICE, user=user)
    return request_complete(dsr=dsr)


def restriction_lift(*, user, actor, reason: str, dsr=None):
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


# --- deletion -------------------------------------------------------------------------------


def _end_sessions(user) -> None:
    from allauth.usersessions.models import UserSession

    for session in UserSession.objects.filter(user=user):
        session.end()


def deletion_open_request(user):
    from privacy.rights.models import DataSubjectRequest as DSR

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


def deletion_start(*, user, request: HttpRequest | None = None, dsr=None):
    """Deactivate at once, end every session, stop marketing (processing_restricted answers yes
    for a deactivated account), email a cancel link. Erasure follows after the grace period."""
    from privacy.rights.models import DataSubjectRequest as DSR

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
        dsr.erase_after = timezone.now() + _grace()
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


def _reactivate(dsr, *, by_sign_in: bool = False) -> None:
    from privacy.rights.models import DataSubjectRequest as DSR

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


def deletion_cancel_by_token(*, token: str):
    """The cancel link from the confirmation email; valid during the grace period only."""
    from privacy.rights.models import DataSubjectRequest as DSR

    try:
        data = signing.loads(token, salt=DELETION_CANCEL_SALT, max_age=_grace().total_seconds())
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


def deletion_pending(user) -> bool:
    """A self-service deletion still in its grace period (the account may sign in to cancel)."""
    dsr = deletion_open_request(user)
    return bool(dsr and not dsr.reported_minor and dsr.erase_after > timezone.now())


def deletion_cancel_on_login(*, user) -> bool:
    """Signing in (password and any second factor) during the grace period cancels deletion."""
    if user.is_active or not deletion_pending(user):
        return False
    _reactivate(deletion_open_request(user), by_sign_in=True)
    user.is_active = True
    return True


def deletions_due(*, now=None) -> list[int]:
    from privacy.rights.models import DataSubjectRequest as DSR

    return list(
        DSR.objects.filter(
            kind=DSR.Kind.DELETION,
            status=DSR.Status.IN_PROGRESS,
            erase_after__lte=now or timezone.now(),
            user__isnull=False,
        ).values_list("user_id", flat=True)
    )


def account_mark_minor(*, dsr, actor, note: str = ""):
    """A reported minor: deactivated at once, erased with no grace period, audited."""
    from privacy.rights.models import DataSubjectRequest as DSR

    if dsr.user_id is None:
        raise RightsError("No account matches this request.")
    user = dsr.user
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
    from privacy.rights.tasks import account_erase as task

    task.delay(user_id, reason)


# --- legal holds ----------------------------------------------------------------------------


def legal_hold_active(*, user_id: int) -> bool:
    from privacy.rights.models import LegalHold

    return LegalHold.objects.filter(user_id=user_id, lifted_at__isnull=True).exists()


def legal_hold_place(*, user, actor, reason: str, dsr=None):
    from privacy.rights.models import LegalHold

    if not (reason or "").strip():
        raise RightsError("Give the reason for the legal hold.")
    hold = LegalHold.objects.create(user=user, request=dsr, reason=reason.strip())
    audit_record(actor=actor, action="placed_hold", target_user_id=user.pk, dsr=dsr, note=reason)
    return hold


def legal_hold_lift(*, hold, actor, reason: str):
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


# --- erasure --------------------------------------------------------------------------------


def account_erase(*, user_id: int, reason: str) -> bool:
    """Erase an account and every row of its personal data. Idempotent and resumable: each step
    only touches rows still linked to the account, and the user row goes last. Returns True when
    the account was erased by this call, False if it was already gone or is under a legal hold."""
    from privacy.rights.erasure import erase_account

    return erase_account(user_id=user_id, reason=reason)


def export_file_drop(*, export_id: int) -> bool:
    """Delete an export's file from storage and mark the export expired. Safe to repeat."""
    from privacy.rights.models import DataExport

    export = DataExport._base_manager.filter(pk=export_id).first()
    if export is None or not export.file:
        return False
    export.file.storage.delete(export.file.name)
    DataExport._base_manager.filter(pk=export_id).update(
        file="", status=DataExport.Status.EXPIRED, size=0
    )
    return True
