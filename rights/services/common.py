"""Errors and helpers shared by the rights services: settings read when asked, mail, hashes."""

from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from jobtrax import datamap
from jobtrax.mail import Category, mail_send

DELETION_CANCEL_SALT = "jobtrax.rights.deletion-cancel"
VERIFY_LINK_SALT = "jobtrax.rights.verify-request"
# Starts only where a run of address characters starts: linear on a long run with no "@".
_EMAIL_RE = re.compile(r"(?<![^\s@])[^\s@]+@[^\s@]+")


class RightsError(Exception):
    """A rights action that cannot run; the message is shown to the person who asked."""


class ExportTooSoon(RightsError):
    def __init__(self, next_at):
        self.next_at = next_at
        super().__init__(
            "You can ask for one export every 24 hours. "
            f"You can ask again after {next_at:%d %B %Y, %H:%M} UTC."
        )


def deletion_grace() -> timedelta:
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


def _mail(template: str, to: str, context: dict) -> None:
    """Mail from templates/rights/email/<template>_{subject,message}.txt (jobtrax.mail)."""
    mail_send(to=to, template=f"rights/email/{template}", context=context, category=Category.RIGHTS)


def email_hmac(email: str) -> str:
    """A keyed hash of an address, so a repeat request can be recognised without keeping it."""
    key = settings.RIGHTS_RECEIPT_HMAC_KEY or settings.SECRET_KEY
    return salted_hmac(
        "jobtrax.rights.receipt", email.strip().lower(), secret=key, algorithm="sha256"
    ).hexdigest()


def _security_event(
    kind: str, *, user_id: int | None, request: HttpRequest | None = None, detail: str = ""
) -> None:
    from logs_retention.services import security_event_record

    security_event_record(kind=kind, user_id=user_id, request=request, detail=detail)
