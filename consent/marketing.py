"""Marketing emails: sent only with consent, each with its one-click unsubscribe link."""

import logging
import secrets
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import signing
from django.db import models as db_models
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from consent.categories import MARKETING, config_version
from consent.models import CampaignDelivery, ConsentRecord, MarketingCampaign, Method
from consent.services import ConsentError, consent_record, marketing_allowed
from jobtrax.mail import Category, mail_send

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "consent.unsubscribe"


class UnsubscribeInvalid(ConsentError):
    pass


class UnsubscribeExpired(ConsentError):
    pass


def _unsubscribe_max_age() -> int:
    return settings.CONSENT_UNSUBSCRIBE_MAX_AGE_DAYS * 24 * 3600


def unsubscribe_token_make(*, user_id: int) -> str:
    return signing.dumps(
        {"u": user_id, "n": secrets.token_hex(8)}, salt=UNSUBSCRIBE_SALT, compress=False
    )


def unsubscribe_url(*, user_id: int) -> str:
    path = reverse("consent:unsubscribe", args=[unsubscribe_token_make(user_id=user_id)])
    return f"{settings.SITE_URL}{path}"


def unsubscribe_token_read(token: str) -> tuple[int, str]:
    """The user id and one-time id in a token; raises UnsubscribeInvalid or UnsubscribeExpired."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=_unsubscribe_max_age())
    except signing.SignatureExpired:
        raise UnsubscribeExpired("This unsubscribe link has expired.") from None
    except signing.BadSignature:
        raise UnsubscribeInvalid("This unsubscribe link is not valid.") from None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise UnsubscribeInvalid("This unsubscribe link is not valid.")
    nonce = data.get("n")
    if not isinstance(nonce, str) or not 1 <= len(nonce) <= 32:
        raise UnsubscribeInvalid("This unsubscribe link is not valid.")
    return data["u"], nonce


def unsubscribe_token_used(token: str) -> bool:
    """Whether a valid link was used already; raises for a bad, expired or orphaned link."""
    user_id, nonce = unsubscribe_token_read(token)
    if not get_user_model().objects.filter(pk=user_id).exists():
        raise UnsubscribeInvalid(
            "This unsubscribe link belongs to an account that no longer exists."
        )
    return ConsentRecord.objects.filter(
        user_id=user_id, method=Method.UNSUBSCRIBE, reference=nonce
    ).exists()


def consent_unsubscribe(*, token: str, request: HttpRequest | None = None) -> bool:
    """Withdraw marketing consent through an email link. False if the link was already used."""
    user_id, nonce = unsubscribe_token_read(token)
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise UnsubscribeInvalid(
            "This unsubscribe link belongs to an account that no longer exists."
        )
    with transaction.atomic():
        if ConsentRecord.objects.filter(
            user_id=user_id, method=Method.UNSUBSCRIBE, reference=nonce
        ).exists():
            return False
        consent_record(
            method=Method.UNSUBSCRIBE,
            choices={MARKETING: False},
            request=request,
            user=user,
            reference=nonce,
            in_browser=False,
        )
    return True


def marketing_send(
    *,
    user: AbstractBaseUser,
    subject: str,
    body: str,
    record: Callable[[], object] | None = None,
) -> bool:
    """The only way a marketing email leaves JobTrax. Refuses (False) without current consent
    (jobtrax.mail checks it, with restriction and objection). `record` runs before the send."""
    url = unsubscribe_url(user_id=user.pk)
    return mail_send(
        to=user.email,
        template="consent/email/marketing",
        context={"subject": subject, "body": body.rstrip(), "unsubscribe_url": url},
        category=Category.MARKETING,
        user=user,
        record=record,
        headers={
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def marketing_check(user: AbstractBaseUser | None) -> bool:
    """Marketing's own rule for jobtrax.mail: current consent (registered in ConsentConfig)."""
    allowed = marketing_allowed(user=user)
    if not allowed:
        logger.info("marketing email refused: no current consent")
    return allowed


def campaign_recipients(*, campaign: MarketingCampaign) -> db_models.QuerySet:
    """Active users whose latest consent record grants marketing and who did not get it yet."""
    latest = ConsentRecord.objects.filter(user=db_models.OuterRef("pk")).order_by(
        "-created_at", "-id"
    )
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            processing_restricted_at__isnull=True,
            processing_objected_at__isnull=True,
        )
        .annotate(
            consent_marketing=db_models.Subquery(latest.values("marketing")[:1]),
            consent_version=db_models.Subquery(latest.values("config_version")[:1]),
        )
        .filter(consent_marketing=True, consent_version=config_version())
        .exclude(campaign_deliveries__campaign=campaign)
        .order_by("pk")
    )


def campaign_start(*, campaign_id: int) -> MarketingCampaign:
    from consent import tasks

    campaign = MarketingCampaign.objects.get(pk=campaign_id)
    if campaign.queued_at is None:
        campaign.queued_at = timezone.now()
        campaign.save(update_fields=["queued_at"])
    transaction.on_commit(lambda: tasks.campaign_send_batch.delay(campaign_id))
    return campaign


def campaign_send_batch(*, campaign_id: int, after_id: int = 0) -> int | None:
    """Send one batch. Returns the id to continue after, or None when the campaign is done."""
    campaign = MarketingCampaign.objects.get(pk=campaign_id)
    if campaign.finished_at is not None:
        return None
    size = settings.CONSENT_CAMPAIGN_BATCH_SIZE
    batch = list(campaign_recipients(campaign=campaign).filter(pk__gt=after_id)[:size])
    sent = 0
    for user in batch:
        if marketing_send(
            user=user,
            subject=campaign.subject,
            body=campaign.body,
            # Recorded before the send: a crash after it never sends the campaign twice.
            record=lambda user=user: CampaignDelivery.objects.get_or_create(
                campaign=campaign, user=user
            )[1],
        ):
            sent += 1
    if sent:
        MarketingCampaign.objects.filter(pk=campaign.pk).update(
            sent_count=db_models.F("sent_count") + sent
        )
    if len(batch) == size:
        return batch[-1].pk
    MarketingCampaign.objects.filter(pk=campaign.pk).update(finished_at=timezone.now())
    return None
