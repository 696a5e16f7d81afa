"""The privacy notice: drafting, publishing, acknowledgements and change emails.

Every write goes through a function here; the admin, the views and the tasks call them.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from jobtrax.cache import cache_delete_many, cache_get, cache_set, memoised
from jobtrax.mail import Category, mail_send, site_link
from privacy.models import (
    NUMBER_RE,
    NoticeAcknowledgement,
    NoticeDelivery,
    NoticeSignup,
    NoticeVersion,
    version_key,
)
from privacy.rendering import Rendered, render_body, unknown_placeholders

logger = logging.getLogger(__name__)

CURRENT_KEY = "privacy:notice:current"
MATERIAL_KEY = "privacy:notice:material"
CACHE_SECONDS = 300  # bounds staleness when each process has its own cache
_NONE = "none"  # cached when there is no such version, so the miss is cached too


class NoticeError(Exception):
    """A notice write that is not allowed; the message is fit to show to staff."""


# Reads ---------------------------------------------------------------------------------


def _published():
    return NoticeVersion.objects.filter(status=NoticeVersion.Status.PUBLISHED)


def notice_current() -> NoticeVersion | None:
    """The version in force: the most recently published one."""
    cached = cache_get(CURRENT_KEY)
    if cached == _NONE:
        return None
    if cached is not None:
        return cached
    version = _published().order_by("-published_at", "-pk").first()
    cache_set(CURRENT_KEY, version if version is not None else _NONE, CACHE_SECONDS)
    return version


@dataclass(frozen=True)
class NoticePage:
    """What the notice page shows of one published version: it never changes once published."""

    version: NoticeVersion
    previous: NoticeVersion | None
    rendered: Rendered
    toc_html: str  # the table of contents, rendered once


def _notice_page(version: NoticeVersion) -> NoticePage:
    rendered = render_body(version.body)
    toc_html = render_to_string("privacy/_toc.html", {"rendered": rendered})
    return NoticePage(
        version=version, previous=notice_previous(version), rendered=rendered, toc_html=toc_html
    )


def notice_page(version: NoticeVersion | None = None) -> NoticePage | None:
    """The page of a published version (the one in force by default), memoised per process.

    The version in force is re-read from the shared cache every few seconds (LOCAL_SECONDS),
    and the previous version and rendered text once per version and process: a page view then
    needs neither Redis nor the database.
    """
    if version is None:
        version = memoised(CURRENT_KEY, notice_current)
        if version is None:
            return None
    return memoised(f"privacy:notice:page:{version.pk}", lambda: _notice_page(version))


def notice_previous(version: NoticeVersion) -> NoticeVersion | None:
    """The version published just before this one, to compare against."""
    return (
        _published()
        .filter(published_at__lt=version.published_at)
        .order_by("-published_at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class MaterialChange:
    version_id: int
    number: str
    summary: str
    published_at: object
    previous_number: str | None


def notice_latest_material() -> MaterialChange | None:
    """The most recent material change, cached: the banner asks on every page view."""
    return memoised(MATERIAL_KEY, _latest_material)


def notice_banner_key() -> str:
    """Which material change the banner would show now (for pages kept whole)."""
    change = notice_latest_material()
    return str(change.version_id if change is not None else 0)


def _latest_material() -> MaterialChange | None:
    cached = cache_get(MATERIAL_KEY)
    if cached == _NONE:
        return None
    if cached is not None:
        return cached
    version = _published().filter(material=True).order_by("-published_at", "-pk").first()
    change = None
    if version is not None:
        previous = notice_previous(version)
        change = MaterialChange(
            version_id=version.pk,
            number=version.number,
            summary=version.change_summary,
            published_at=version.published_at,
            previous_number=previous.number if previous else None,
        )
    cache_set(MATERIAL_KEY, change if change is not None else _NONE, CACHE_SECONDS)
    return change


def notice_get_published(number: str) -> NoticeVersion | None:
    """A published version by its number, or None for a malformed or unknown number."""
    if not isinstance(number, str) or not NUMBER_RE.match(number):
        return None
    return _published().filter(number=number).first()


def _ack_cache_key(user_id: int, version_id: int) -> str:
    return f"privacy:notice:ack:{user_id}:{version_id}"


def notice_banner_for(*, request: HttpRequest) -> MaterialChange | None:
    """The material change this signed-in user still has to acknowledge, if any.

    One indexed query when the answer is not cached, none otherwise: the answer is cached
    per user and version, and acknowledging overwrites it.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    change = notice_latest_material()
    if change is None:
        return None
    # Someone who signed up after the change was shown that version at signup.
    if user.date_joined >= change.published_at:
        return None
    key = _ack_cache_key(user.pk, change.version_id)
    acknowledged = cache_get(key)
    if acknowledged is None:
        acknowledged = NoticeAcknowledgement.objects.filter(
            user=user, version_id=change.version_id
        ).exists()
        cache_set(key, acknowledged, CACHE_SECONDS)
    return None if acknowledged else change


def notice_acknowledgement_stats(version: NoticeVersion) -> dict:
    users = get_user_model().objects.filter(is_active=True)
    before = users.filter(date_joined__lt=version.published_at)
    deliveries = NoticeDelivery.objects.filter(version=version)
    return {
        "users_to_tell": before.count(),
        "acknowledged": NoticeAcknowledgement.objects.filter(version=version).count(),
        "signed_up_since": users.filter(date_joined__gte=version.published_at).count(),
        "emails_sent": deliveries.filter(status=NoticeDelivery.Status.SENT).count(),
        "emails_unconfirmed": deliveries.filter(status=NoticeDelivery.Status.CLAIMED).count(),
        "emails_failed": deliveries.filter(status=NoticeDelivery.Status.FAILED).count(),
        "emails_pending": _mail_recipients(version).count(),
    }


# Writes --------------------------------------------------------------------------------


def _forget_cached_versions() -> None:
    cache_delete_many([CURRENT_KEY, MATERIAL_KEY])


def notice_draft_save(*, version: NoticeVersion) -> NoticeVersion:
    """Create or update a draft. A published version is never written here."""
    with transaction.atomic():
        if version.pk:
            stored = NoticeVersion.objects.select_for_update().get(pk=version.pk)
            if stored.is_published:
                raise NoticeError(f"Version {stored.number} is published and cannot change.")
        version.status = NoticeVersion.Status.DRAFT
        version.published_at = None
        version.full_clean()
        version.save()
    return version


def notice_publish(*, version: NoticeVersion) -> NoticeVersion:
    """Publish a draft. It becomes the current notice and can never change again.

    A material version starts the email to every verified user once the transaction commits.
    """
    with transaction.atomic():
        stored = NoticeVersion.objects.select_for_update().get(pk=version.pk)
        if stored.is_published:
            raise NoticeError(f"Version {stored.number} is already published.")
        stored.full_clean()
        unknown = unknown_placeholders(stored.body)
        if unknown:
            raise NoticeError("Unknown placeholders: " + ", ".join(unknown) + ".")
        today = timezone.localdate()
        if stored.effective_date > today:
            raise NoticeError("The effective date cannot be later than today.")
        latest = _published().select_for_update().order_by("-published_at", "-pk").first()
        if latest is not None:
            if version_key(stored.number) <= version_key(latest.number):
                raise NoticeError(
                    f"The number must be higher than the current version, {latest.number}."
                )
            if stored.effective_date < latest.effective_date:
                raise NoticeError(
                    "The effective date cannot be earlier than that of the current version."
                )
        stored.status = NoticeVersion.Status.PUBLISHED
        now = timezone.now()
        # Always after the version it replaces, whose time a migration may have set ahead.
        if latest is not None and latest.published_at >= now:
            now = latest.published_at + timedelta(milliseconds=1)
        stored.published_at = now
        stored.save(update_fields=["status", "published_at"])
        transaction.on_commit(_forget_cached_versions)
        if stored.material:
            transaction.on_commit(lambda: _start_mailing(stored.pk))
    version.status, version.published_at = stored.status, stored.published_at
    return stored


def _start_mailing(version_id: int) -> None:
    from privacy.tasks import notice_email_batch

    notice_email_batch.delay(version_id)


def notice_acknowledge(*, request: HttpRequest, version: NoticeVersion) -> NoticeAcknowledgement:
    """Record that the signed-in user acknowledged this version. Safe to repeat."""
    if not version.is_published:
        raise NoticeError("Only a published version can be acknowledged.")
    try:
        with transaction.atomic():
            ack, _ = NoticeAcknowledgement.objects.get_or_create(user=request.user, version=version)
    except IntegrityError:  # a double submit raced us
        ack = NoticeAcknowledgement.objects.get(user=request.user, version=version)
    cache_set(_ack_cache_key(request.user.pk, version.pk), True, CACHE_SECONDS)
    return ack


def notice_record_signup(*, user: AbstractBaseUser, request: HttpRequest | None) -> None:
    """Remember which notice version a new user was shown when they signed up."""
    version = notice_current()
    if version is None:
        return
    NoticeSignup.objects.get_or_create(user=user, defaults={"version_id": version.pk})


# Emails about a material change ----------------------------------------------------------


def _mail_recipients(version: NoticeVersion):
    """Verified, active users who had an account when the version was published and have
    not been claimed for this version's email yet."""
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True, primary=True)
    claimed = NoticeDelivery.objects.filter(user=OuterRef("pk"), version=version)
    return (
        get_user_model()
        .objects.filter(is_active=True, date_joined__lt=version.published_at)
        .filter(Exists(verified))
        .exclude(Exists(claimed))
        .order_by("pk")
    )


def _claim(*, version: NoticeVersion, user_id: int) -> NoticeDelivery | None:
    try:
        with transaction.atomic():
            return NoticeDelivery.objects.create(version=version, user_id=user_id)
    except IntegrityError:
        return None  # another run claimed this user first


def _claim_into(found: list, *, version: NoticeVersion, user_id: int) -> bool:
    """Claim a user before their email is sent; False when another run claimed them first."""
    delivery = _claim(version=version, user_id=user_id)
    found.extend([delivery] if delivery is not None else [])
    return delivery is not None


def notice_email_send_batch(*, version_id: int, batch_size: int | None = None) -> tuple[int, bool]:
    """Email the next batch of users about a material version. Returns (sent, more_to_do).

    Each user is claimed before the message is sent, so interrupted or concurrent runs never
    email anyone twice; run it again to resume.
    """
    version = NoticeVersion.objects.filter(pk=version_id).first()
    if version is None or not version.is_published or not version.material:
        return 0, False
    size = batch_size or settings.PRIVACY_NOTICE_EMAIL_BATCH_SIZE
    batch = list(_mail_recipients(version)[:size])
    if not batch:
        return 0, False
    context = {
        "version": version,
        "privacy_email": settings.JOBTRAX_PRIVACY_EMAIL,
        "notice_url": site_link(reverse("privacy:notice")),
        "compare_url": _compare_url(version),
    }
    sent = 0
    connection = get_connection()
    with connection:
        for user in batch:
            claimed: list[NoticeDelivery] = []
            try:
                mail_send(
                    to=user.email,
                    template="privacy/email/notice_changed",
                    context=context,
                    category=Category.NOTICE,
                    user=user,
                    record=partial(_claim_into, claimed, version=version, user_id=user.pk),
                    connection=connection,
                )
            except Exception:
                if not claimed:
                    raise
                delivery = claimed[0]
                # The message may or may not have left: never retry this one. Stop the batch,
                # so the mail server's trouble does not fail everyone else; the rest stay
                # unclaimed and a later run resumes with them.
                delivery.status = NoticeDelivery.Status.FAILED
                delivery.save(update_fields=["status"])
                logger.warning("privacy notice email failed (delivery %s)", delivery.pk)
                raise
            if not claimed:
                continue
            delivery = claimed[0]
            delivery.status = NoticeDelivery.Status.SENT
            delivery.sent_at = timezone.now()
            delivery.save(update_fields=["status", "sent_at"])
            sent += 1
    return sent, _mail_recipients(version).exists()


def _compare_url(version: NoticeVersion) -> str:
    previous = notice_previous(version)
    if previous is None:
        return site_link(reverse("privacy:version", args=[version.number]))
    return site_link(reverse("privacy:compare", args=[previous.number, version.number]))


def notice_email_stalled_version() -> int | None:
    """The latest material version whose mailing has work left and no recent progress."""
    change = notice_latest_material()
    if change is None:
        return None
    version = NoticeVersion.objects.get(pk=change.version_id)
    if not _mail_recipients(version).exists():
        return None
    stall = timedelta(minutes=settings.PRIVACY_NOTICE_EMAIL_STALL_MINUTES)
    recent = NoticeDelivery.objects.filter(
        version=version, claimed_at__gte=timezone.now() - stall
    ).exists()
    return None if recent else version.pk
