"""Support messages: every write with a side effect is one function here."""

import logging

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from jobtrax.mail import Category, mail_send
from support.models import SupportMessage

logger = logging.getLogger(__name__)

CONTACT_RATE_LIMIT_ACTION = "contact"


class SupportError(Exception):
    """A support action that cannot run; the message is fit to show to staff."""


class ContactUnavailable(Exception):
    """The rate-limit store cannot be reached: the form refuses rather than run unguarded."""


def contact_allowed(*, request: HttpRequest, email: str) -> bool:
    """Count this submission against the contact form's limits (per IP address and per
    reply-to address, in ACCOUNT_RATE_LIMITS["contact"]). False once over a limit.

    The limits live in the cache, like the sign-in limits. When the cache cannot be reached
    this raises ContactUnavailable: the form fails closed.
    """
    from allauth.core import ratelimit

    try:
        return ratelimit.consume(
            request, action=CONTACT_RATE_LIMIT_ACTION, key=email.strip().lower()
        )
    except Exception as exc:
        logger.warning("contact form refused: the rate-limit cache is unreachable")
        raise ContactUnavailable from exc


def support_message_create(
    *, topic: str, email: str, message: str, user: AbstractBaseUser | None = None
) -> SupportMessage:
    if user is not None and not user.is_authenticated:
        user = None
    return SupportMessage.objects.create(topic=topic, email=email, message=message, user=user)


def support_message_reply(
    *,
    support_message: SupportMessage,
    actor: AbstractBaseUser,
    subject: str,
    body: str,
    close: bool = False,
) -> SupportMessage:
    """Email a reply to the reply-to address and record that it went (not what it said)."""
    if support_message.status == SupportMessage.Status.CLOSED:
        raise SupportError("This message is closed: it cannot be answered any more.")
    subject, body = (subject or "").strip(), (body or "").strip()
    if not subject or not body:
        raise SupportError("Write a subject and a reply.")
    # Recorded before the send, in one transaction with it: a reply the mail server refused
    # is not counted, and staff see the error and may send it again.
    with transaction.atomic():
        mail_send(
            to=support_message.email,
            template="support/email/reply",
            context={"subject": subject, "body": body},
            category=Category.SUPPORT,
            reply_to=[_team_address(support_message)],
            record=lambda: _reply_record(support_message=support_message, actor=actor, close=close),
        )
    return support_message


def _reply_record(*, support_message: SupportMessage, actor: AbstractBaseUser, close: bool) -> None:
    now = timezone.now()
    support_message.replies_sent += 1
    support_message.last_reply_at = now
    support_message.answered_at = support_message.answered_at or now
    support_message.status = SupportMessage.Status.ANSWERED
    fields = ["replies_sent", "last_reply_at", "answered_at", "status"]
    if close:
        support_message.status = SupportMessage.Status.CLOSED
        support_message.closed_at = now
        fields.append("closed_at")
    support_message.save(update_fields=fields)
    _staff_event(actor, f"support_reply message={support_message.pk}")


def support_message_close(
    *, support_message: SupportMessage, actor: AbstractBaseUser
) -> SupportMessage:
    """Close a message. Its retention window starts now (see support.personal_data)."""
    if support_message.status == SupportMessage.Status.CLOSED:
        return support_message
    support_message.status = SupportMessage.Status.CLOSED
    support_message.closed_at = timezone.now()
    support_message.save(update_fields=["status", "closed_at"])
    _staff_event(actor, f"support_close message={support_message.pk}")
    return support_message


def support_message_to_request(
    *, support_message: SupportMessage, actor: AbstractBaseUser, kind: str
):
    """Turn a message about privacy into a data-subject request, received when the message was.

    The request's deadline counts from the message's arrival, as the law counts it. The message
    is closed: the request, with its own audit trail, carries on.
    """
    from rights.models import DataSubjectRequest as DSR
    from rights.services import audit_record, request_create

    if not support_message.is_privacy:
        raise SupportError("Only a message about privacy can become a data-subject request.")
    if support_message.request_id is not None:
        raise SupportError(f"This message is already request #{support_message.request_id}.")
    if kind not in DSR.Kind.values:
        raise SupportError("Choose the kind of request.")
    with transaction.atomic():
        locked = SupportMessage.objects.select_for_update().get(pk=support_message.pk)
        if locked.request_id is not None:
            raise SupportError(f"This message is already request #{locked.request_id}.")
        dsr = request_create(
            kind=kind,
            channel=DSR.Channel.OTHER,
            subject_email=locked.email,
            details=locked.message,
            received_at=locked.created_at,
        )
        locked.request = dsr
        locked.status = SupportMessage.Status.CLOSED
        locked.closed_at = timezone.now()
        locked.save(update_fields=["request", "status", "closed_at"])
        audit_record(
            actor=actor,
            action="opened_request",
            target_user_id=dsr.user_id,
            dsr=dsr,
            note=f"from support message #{locked.pk}",
        )
    support_message.refresh_from_db()
    return dsr


def support_messages_for_email(email: str) -> QuerySet[SupportMessage]:
    """Every message sent with this reply-to address, signed in or not."""
    if not (email or "").strip():
        return SupportMessage.objects.none()
    return SupportMessage.objects.filter(email__iexact=email.strip())


def support_messages_erase_for_email(*, email: str) -> int:
    """Delete the messages sent with this address (an emailed erasure request names it)."""
    deleted, _ = support_messages_for_email(email).delete()
    return deleted


def _team_address(support_message: SupportMessage) -> str:
    if support_message.is_privacy:
        return settings.JOBTRAX_PRIVACY_EMAIL
    return settings.JOBTRAX_SUPPORT_EMAIL


def _staff_event(actor: AbstractBaseUser, detail: str) -> None:
    from logs_retention.services import security_event_record

    security_event_record(kind="staff_action", user_id=getattr(actor, "pk", None), detail=detail)
