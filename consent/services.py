"""Consent: the one entry point for the current state, and every write that changes it."""

import logging
import secrets
from functools import lru_cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import connections, router, transaction
from django.db import models as db_models
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from consent.categories import ANALYTICS, MARKETING, config_version, get_category
from consent.models import CampaignDelivery, ConsentRecord, MarketingCampaign, Method
from consent.state import (
    RECORD_FIELDS,
    ConsentState,
    Snapshot,
    gpc_signal,
    read_cookie,
    write_cookie,
)
from jobtrax.cache import cache_delete, cache_get, cache_set
from jobtrax.net import client_ip, truncate_ip
from jobtrax.useragent import browser_family
from privacy.services import notice_current

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "consent.unsubscribe"


class ConsentError(ValueError):
    """A consent write that cannot be made as asked; the message is fit to show."""


class UnsubscribeInvalid(ConsentError):
    pass


class UnsubscribeExpired(ConsentError):
    pass


# --- reading -------------------------------------------------------------------------------


_SNAPSHOT_CACHE_SECONDS = 300
_NO_RECORD = "none"


def _snapshot_cache_key(user_id: int) -> str:
    return f"consent:latest:{user_id}"


def _forget_account_snapshot(user_id: int) -> None:
    """Every write of an account's records passes here, so the cached answer is never stale.

    Deleted again after commit, so a read between the write and the commit cannot re-cache
    the old answer for long.
    """
    key = _snapshot_cache_key(user_id)
    cache_delete(key)
    transaction.on_commit(lambda: cache_delete(key))


def _account_snapshot(user_id: int) -> Snapshot | None:
    """The account's latest record: cached, since every signed-in page asks for it."""
    key = _snapshot_cache_key(user_id)
    cached = cache_get(key)
    if cached is not None:
        return None if cached == _NO_RECORD else cached
    snapshot = _query_account_snapshot(user_id)
    cache_set(key, snapshot or _NO_RECORD, _SNAPSHOT_CACHE_SECONDS)
    return snapshot


def _query_account_snapshot(user_id: int) -> Snapshot | None:
    # Plain SQL on purpose: building the same ORM query each time cost more than running it.
    sql = _latest_record_sql()
    with connections[router.db_for_read(ConsentRecord)].cursor() as cursor:
        cursor.execute(sql, [user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    return Snapshot.from_values(row)


@lru_cache(maxsize=1)
def _latest_record_sql() -> str:
    opts = ConsentRecord._meta
    columns = ", ".join(opts.get_field(name).column for name in RECORD_FIELDS)
    return (
        f"SELECT {columns} FROM {opts.db_table} WHERE user_id = %s "  # noqa: S608 (names from _meta)
        "ORDER BY created_at DESC, id DESC LIMIT 1"
    )


def _state(
    *,
    snapshot: Snapshot | None,
    signal: bool,
    user: AbstractBaseUser | None,
    browser_id: str,
) -> ConsentState:
    current = snapshot is not None and snapshot.config_version == config_version()
    if not current:
        snapshot = None  # a choice made under older categories no longer counts
    return ConsentState(
        decided=bool(snapshot and snapshot.method != Method.GPC),
        analytics_granted=bool(snapshot and snapshot.analytics),
        marketing_granted=bool(snapshot and snapshot.marketing and user is not None),
        gpc_signal=signal,
        gpc_recorded=bool(snapshot and snapshot.gpc),
        gpc_override=bool(snapshot and snapshot.gpc_override),
        restricted=user is not None and user.processing_restricted,
        browser_id=browser_id,
        record_id=snapshot.record_id if snapshot else None,
    )


def _signed_in(request: HttpRequest | None) -> AbstractBaseUser | None:
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def consent_state(
    *, request: HttpRequest | None = None, user: AbstractBaseUser | None = None
) -> ConsentState:
    """The current consent state: of the signed-in account, else of the browser, else of `user`.

    Templates, the email sender and exports all ask this, and nothing else. Within a request
    the answer is computed once: from the signed cookie for visitors (no query), from the
    account's latest record for signed-in users (cached until that account's next write).
    """
    if request is not None and (user is None or user == _signed_in(request)):
        cached = getattr(request, "_consent_state", None)
        if cached is not None:
            return cached
        browser_id, browser_snapshot = read_cookie(request)
        account = _signed_in(request)
        snapshot = _account_snapshot(account.pk) if account else browser_snapshot
        state = _state(
            snapshot=snapshot, signal=gpc_signal(request), user=account, browser_id=browser_id
        )
        request._consent_state = state
        return state
    if user is None or not user.pk:
        return _state(snapshot=None, signal=False, user=None, browser_id="")
    return _state(snapshot=_account_snapshot(user.pk), signal=False, user=user, browser_id="")


def marketing_allowed(*, user: AbstractBaseUser | None) -> bool:
    """Whether a marketing email may go to this user now."""
    if user is None or not user.pk or not user.is_active:
        return False
    return consent_state(user=user).marketing


# --- recording -----------------------------------------------------------------------------


def _notice_version() -> str:
    notice = notice_current()
    return str(getattr(notice, "number", "") or "") if notice is not None else ""


def _new_browser_id() -> str:
    return secrets.token_urlsafe(16)[:22]


def consent_record(
    *,
    method: str,
    choices: dict[str, bool] | None = None,
    request: HttpRequest | None = None,
    user: AbstractBaseUser | None = None,
    reference: str = "",
    in_browser: bool = True,
) -> ConsentRecord:
    """Append one record of the subject's choices. Categories not in `choices` carry over.

    The subject is `user` if given, else the signed-in user, else the browser. With
    `in_browser`, the browser's cookie follows (and gets an id if it had none). Global Privacy
    Control, when the request carries it, wins over an analytics opt-in unless `method` is the
    explicit override.
    """
    try:
        method = Method(method)
    except ValueError:
        raise ConsentError(f"Unknown consent method: {method!r}") from None
    choices = dict(choices or {})
    for key, granted in choices.items():
        if get_category(key).required and not granted:
            raise ConsentError("Strictly necessary cookies cannot be switched off.")
        if not isinstance(granted, bool):
            raise ConsentError(f"The choice for {key!r} must be yes or no.")
    if user is None:
        user = _signed_in(request)
    # A choice for an account this browser is not signed in to (at signup, before the email is
    # verified) stays with the account: the browser's cookie is left as it was, so the answer
    # to a signup looks the same whether or not the address already had an account.
    for_other_account = request is not None and user is not None and user != _signed_in(request)
    if for_other_account:
        browser_id, _ = read_cookie(request)
        current = consent_state(user=user)
        # A link followed from an email may be opened by the mail provider: its signals are not
        # the user's browser's.
        signal = gpc_signal(request) if in_browser else False
    elif request is not None:
        current = consent_state(request=request)
        browser_id, signal = current.browser_id, current.gpc_signal
    else:
        current = consent_state(user=user)
        browser_id, signal = "", False
    if user is None and method in {Method.SIGNUP, Method.UNSUBSCRIBE, Method.SETTINGS}:
        raise ConsentError("This choice needs an account.")
    if user is None and choices.get(MARKETING):
        raise ConsentError("Marketing emails need an account: sign in to choose them.")

    analytics = choices.get(ANALYTICS, current.analytics_granted)
    marketing = choices.get(MARKETING, current.marketing_granted) if user is not None else False
    override = current.gpc_override and analytics
    if method == Method.GPC:
        analytics, override = False, False
    elif method == Method.GPC_OVERRIDE:
        if not signal:
            raise ConsentError("There is no Global Privacy Control signal to override.")
        analytics, override = True, True
    elif signal and analytics and not override:
        analytics = False  # the signal wins over an opt-in that did not explicitly override it
    if in_browser and request is not None and not browser_id and not for_other_account:
        browser_id = _new_browser_id()

    if user is not None:
        _forget_account_snapshot(user.pk)
    record = ConsentRecord.objects.create(
        user=user,
        browser_id=browser_id if in_browser else "",
        analytics=analytics,
        marketing=marketing,
        gpc=signal,
        gpc_override=override,
        method=method,
        config_version=config_version(),
        notice_version=_notice_version(),
        created_at=timezone.now(),
        ip_truncated=truncate_ip(client_ip(request)) if request is not None else None,
        browser_family=browser_family(request.META.get("HTTP_USER_AGENT", "")[:512])
        if request is not None
        else "",
        path=request.path[:200] if request is not None else "",
        reference=reference,
    )
    if request is not None and in_browser and not for_other_account:
        _remember_in_browser(request=request, record=record, user=user, was=current)
    return record


def _remember_in_browser(
    *, request: HttpRequest, record: ConsentRecord, user: AbstractBaseUser | None, was: ConsentState
) -> None:
    snapshot = Snapshot.of(record)
    request._consent_cookie = write_cookie(record.browser_id, snapshot)
    state = _state(
        snapshot=snapshot, signal=was.gpc_signal, user=user, browser_id=record.browser_id
    )
    if user is None or user == _signed_in(request):
        request._consent_state = state
    if not state.analytics:
        request._consent_expire_analytics = True


def consent_apply_gpc(*, request: HttpRequest) -> ConsentRecord | None:
    """Record a Global Privacy Control opt-out, once per change of state."""
    state = consent_state(request=request)
    if not state.gpc_signal or state.gpc_override or state.gpc_recorded:
        return None
    user = _signed_in(request)
    if user is None:
        return consent_record(method=Method.GPC, request=request)
    with transaction.atomic():
        # Two pages loading at once must not both record the same change for the account.
        # request.user is a lazy proxy: lock through the model class, never type(user).
        list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))
        request.__dict__.pop("_consent_state", None)
        state = consent_state(request=request)
        if state.gpc_override or state.gpc_recorded:
            return None
        return consent_record(method=Method.GPC, request=request)


def consent_on_signup(
    *, request: HttpRequest, user: AbstractBaseUser, marketing_opt_in: bool
) -> None:
    """The new account starts with this browser's cookie choices and its signup marketing box."""
    browser = consent_state(request=request) if _signed_in(request) is None else None
    analytics = bool(browser and browser.decided and browser.analytics_granted)
    consent_record(
        method=Method.SIGNUP,
        choices={ANALYTICS: analytics, MARKETING: bool(marketing_opt_in)},
        request=request,
        user=user,
    )


def consent_on_login(*, request: HttpRequest, user: AbstractBaseUser) -> None:
    """A choice this browser made as a visitor, newer than the account's, carries over to it."""
    browser_id, snapshot = read_cookie(request)
    if snapshot is None or snapshot.config_version != config_version():
        return
    if snapshot.method == Method.GPC:
        return  # the signal is applied to the account on its own, by the middleware
    if snapshot.method == Method.GPC_OVERRIDE and not gpc_signal(request):
        return  # an override answered a signal this sign-in no longer carries
    visitor_choice = ConsentRecord.objects.filter(
        pk=snapshot.record_id, browser_id=browser_id, user__isnull=True
    ).exists()
    if not visitor_choice:
        return
    latest = _account_snapshot(user.pk)
    account_is_newer = latest is not None and latest.record_id > snapshot.record_id
    if account_is_newer and latest.config_version == config_version():
        return
    request.__dict__.pop("_consent_state", None)
    consent_record(
        method=snapshot.method,
        choices={ANALYTICS: snapshot.analytics},
        request=request,
        user=user,
    )


def consent_detach_account(*, user_id: int) -> int:
    """For account erasure: keep the records as proof, without the link to the account."""
    _forget_account_snapshot(user_id)
    return ConsentRecord.objects.filter(user_id=user_id).update(
        user=None, account_closed_at=timezone.now()
    )


# --- marketing emails ----------------------------------------------------------------------


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


def marketing_send(*, user: AbstractBaseUser, subject: str, body: str) -> bool:
    """The only way a marketing email leaves JobTrax. Refuses (False) without current consent."""
    if not marketing_allowed(user=user):
        logger.info("marketing email refused: no current consent")
        return False
    url = unsubscribe_url(user_id=user.pk)
    text = (
        f"{body.rstrip()}\n\n--\nYou get this because you opted in to news about JobTrax.\n"
        f"Unsubscribe with one click: {url}\n"
    )
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.send()
    return True


def campaign_recipients(*, campaign: MarketingCampaign) -> db_models.QuerySet:
    """Active users whose latest consent record grants marketing and who did not get it yet."""
    latest = ConsentRecord.objects.filter(user=db_models.OuterRef("pk")).order_by(
        "-created_at", "-id"
    )
    return (
        get_user_model()
        .objects.filter(is_active=True, processing_restricted_at__isnull=True)
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
        if marketing_send(user=user, subject=campaign.subject, body=campaign.body):
            CampaignDelivery.objects.get_or_create(campaign=campaign, user=user)
            sent += 1
    if sent:
        MarketingCampaign.objects.filter(pk=campaign.pk).update(
            sent_count=db_models.F("sent_count") + sent
        )
    if len(batch) == size:
        return batch[-1].pk
    MarketingCampaign.objects.filter(pk=campaign.pk).update(finished_at=timezone.now())
    return None
