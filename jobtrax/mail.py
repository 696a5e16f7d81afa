"""Sending mail: the one helper every message goes through, and a development backend."""

import logging
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import get_random_string


class FolderEmailBackend(BaseEmailBackend):
    """Writes each message to its own .eml file, for development without an SMTP server."""

    def send_messages(self, email_messages) -> int:
        folder = Path(settings.EMAIL_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            path = folder / f"{stamp}-{get_random_string(8)}.eml"
            path.write_bytes(message.message().as_bytes(linesep="\n"))
            sent += 1
        return sent


# --- sending ---------------------------------------------------------------------------------
#
# Every message JobTrax sends goes through `mail_send`: one subject prefix, a plain and an HTML
# part from one template pair, links on SITE_URL, the suppression rules below, and the
# caller's record written before the message leaves.

logger = logging.getLogger(__name__)


class Category(StrEnum):
    """What a message is for, which decides whether it may go to a given person."""

    ACCOUNT = "account"  # sign-in, verification, password, security alerts: always sent
    RIGHTS = "rights"  # answers to a data-subject request: always sent
    SUPPORT = "support"  # a reply to someone who wrote to us: always sent
    RETENTION = "retention"  # the warning before an inactive account is erased: always sent
    NOTICE = "notice"  # a material change of the privacy notice: to active accounts
    REMINDER = "reminder"  # follow-up reminders, a service the person can turn off
    MARKETING = "marketing"  # news, only with current consent


# Checks an app below or above adds for a category (consent registers the marketing one):
# each answers whether the message may go to this person now.
_checks: dict[str, list[Callable[[Any], bool]]] = {}


def mail_check_register(category: Category, check: Callable[[Any], bool]) -> None:
    if check not in _checks.setdefault(category, []):
        _checks[category].append(check)


def mail_allowed(*, category: Category, user=None) -> bool:
    """The suppression and restriction rules of every message, in one place.

    Messages the service, the law or security needs (account, rights, support, retention) go
    to everyone. A restriction or an objection removes no feature (docs/PROMISES.md, section
    10), so the notice and reminders still reach an active account; the person turns
    reminders off on their profile (the reminders' recipients leave them out). Marketing needs
    an active account that neither restricted nor objected, and the checks registered for it
    (current consent).
    """
    if category == Category.MARKETING:
        if user is None or not user.pk or user.processing_objected:
            return False
    elif category in (Category.NOTICE, Category.REMINDER) and user and not user.is_active:
        return False
    return all(check(user) for check in _checks.get(category, ()))


def site_link(path: str) -> str:
    """An absolute link for a message: always on SITE_URL, never the host a request came on."""
    return f"{settings.SITE_URL}{path}"


def _render_optional(name: str, context: dict, request) -> str | None:
    try:
        return render_to_string(name, context, request)
    except TemplateDoesNotExist:
        return None


def mail_send(
    *,
    to: str,
    template: str,
    context: dict,
    category: Category,
    user=None,
    record: Callable[[], object] | None = None,
    headers: dict[str, str] | None = None,
    reply_to: list[str] | None = None,
    attachments: list[tuple[str, str, str]] = (),
    connection=None,
    request=None,
) -> bool:
    """Send one message from `<template>_subject.txt`, `<template>_message.txt` and
    `<template>_message.html` (when there is none, the HTML part shows the plain text in
    `email/message.html`). The subject gets ACCOUNT_EMAIL_SUBJECT_PREFIX; the context gets
    `site_url` and `company_name`.

    `record`, when given, is called before the message is sent: a crash after the send can
    never send it twice. If it returns False the message is already someone else's and is
    not sent. Returns whether the message was handed to the mail backend; a backend error is
    raised to the caller, after the record.
    """
    if not to:
        return False
    if not mail_allowed(category=category, user=user):
        logger.info("%s email not sent: suppressed for this person", category)
        return False
    context = {
        "site_url": settings.SITE_URL,
        "company_name": settings.JOBTRAX_COMPANY_NAME,
        **context,
    }
    subject = render_to_string(f"{template}_subject.txt", context, request)
    subject = " ".join(subject.splitlines()).strip()
    prefix = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX or ""
    if not subject.startswith(prefix):
        subject = f"{prefix}{subject}"
    text = render_to_string(f"{template}_message.txt", context, request).strip() + "\n"
    html = _render_optional(f"{template}_message.html", context, request)
    if html is None:
        html = render_to_string("email/message.html", {**context, "subject": subject, "text": text})
    message = EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [to],
        headers=headers,
        reply_to=reply_to,
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    for attachment in attachments:
        message.attach(*attachment)
    if record is not None and record() is False:
        return False
    message.send()
    return True
