"""Consent: the one entry point for the current state, and every write that changes it."""

import logging
import secrets
from functools import lru_cache

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connections, router, transaction
from django.http import HttpRequest
from django.utils import timezone

from consent.categories import ANALYTICS, MARKETING, config_version, get_category
from consent.models import ConsentRecord, Method
from consent.state import (
    RECORD_FIELDS,
    ConsentState,
    Snapshot,
    gpc_signal,
    read_cookie,
    write_cookie,
)
from jobtrax.cache import cache_add, cache_delete, cache_get, cache_set
from jobtrax.net import client_ip, truncate_ip
from jobtrax.useragent import browser_family
from privacy.services import notice_current

logger = logging.getLogger(__name__)


class ConsentError(ValueError):
    """A consent write that cannot be made as asked; the message is fit to show."""


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


def consent_forget_cached(*, user_id: int) -> None:
    """Drop what is cached about an account's consent (an account rolled back, whose id a
    later account may reuse)."""
    cache_delete(_snapshot_cache_key(user_id))


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
        # A restriction, or an objection (which stops marketing and analytics too).
        restricted=user is not None and user.processing_objected,
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


def _latest_of_browser(browser_id: str) -> tuple[str | None, int]:
    """The method and id of a signed-out browser's latest record, (None, 0) if none."""
    latest = (
        ConsentRecord.objects.filter(browser_id=browser_id, user__isnull=True)
        .order_by("-id")
        .values_list("method", "id")
        .first()
    )
    return latest or (None, 0)


# How long a visitor's first recording of the signal keeps requests that arrive with it from
# recording it again.
GPC_CLAIM_SECONDS = 60


def consent_apply_gpc(*, request: HttpRequest) -> ConsentRecord | None:
    """Record a Global Privacy Control opt-out, once per change of state.

    A visitor's signal is recorded once per consent cookie, not per request. A browser that
    sends no cookie gets one with a new id and no record: the signal already keeps analytics
    off on every request that carries it, so a client that keeps no cookies (a script, a
    crawler) writes nothing, however many requests it makes. The next request that brings the
    cookie back records the opt-out, once for that id.
    """
    state = consent_state(request=request)
    if not state.gpc_signal or state.gpc_override or state.gpc_recorded:
        return None
    user = _signed_in(request)
    if user is None:
        if not state.browser_id:
            request._consent_cookie = write_cookie(_new_browser_id(), None)
            return None
        method, latest_id = _latest_of_browser(state.browser_id)
        if method == Method.GPC:
            return None  # a cookie replayed from before its record: nothing new to prove
        # A page's own requests (its service worker, manifest, icon) arrive together with the
        # new cookie: the first of them records the change, the others leave it.
        claim = f"consent:gpc:{state.browser_id}:{latest_id}"
        if not cache_add(claim, GPC_CLAIM_SECONDS, default=True):
            return None
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
