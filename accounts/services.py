"""Account writes with side effects. Other apps plug their own steps into these functions."""

import logging

from allauth.account.adapter import get_adapter
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts import geo
from accounts.models import KnownCountry, LocationSource, User
from consent.services import consent_on_login, consent_on_signup
from jobtrax.net import client_ip
from logs_retention.models import SecurityEvent
from logs_retention.services import security_event_record
from privacy.services import notice_record_signup

logger = logging.getLogger(__name__)


def account_set_location(
    *, user: User, country: str, region: str = "", request: HttpRequest | None = None
) -> User:
    """Set the location the user chose, or with an empty country, infer it from the IP."""
    if country:
        user.country = country
        user.region = region
        user.location_source = LocationSource.CHOSEN
    else:
        location = None
        if request is not None and not user.processing_objected:
            location = geo.locate(client_ip(request))
        user.country = location.country if location else ""
        user.region = location.region if location else ""
        user.location_source = LocationSource.INFERRED if location else LocationSource.UNKNOWN
    user.location_updated_at = timezone.now()
    user.region_was_cleared = False
    if user.pk:
        user.save(
            update_fields=[
                "country",
                "region",
                "location_source",
                "location_updated_at",
                "region_was_cleared",
            ]
        )
    return user


def account_prepare_signup(*, request: HttpRequest, user: User, cleaned_data: dict) -> None:
    """Fill the fields a signup sets before the user row is first saved."""
    user.adult_confirmed_at = timezone.now()
    account_set_location(
        user=user,
        country=cleaned_data.get("country") or "",
        region=cleaned_data.get("region") or "",
        request=request,
    )


def account_signed_up(*, request: HttpRequest, user: User, marketing_opt_in: bool) -> None:
    """Runs once the new user row exists. Consent and notice records hook in here."""
    # The country the signup came from, not the one chosen: a user who picks another country
    # than their connection's must not get a new-country alert at their first sign-in.
    seen = geo.locate(client_ip(request))
    if seen is not None:
        KnownCountry.objects.get_or_create(user=user, country=seen.country)
    notice_record_signup(user=user, request=request)
    consent_on_signup(request=request, user=user, marketing_opt_in=marketing_opt_in)


def account_logged_in(*, request: HttpRequest, user: User) -> None:
    """Runs after every successful sign-in: location upkeep and the new-country alert."""
    security_event_record(kind=SecurityEvent.Kind.LOGIN_SUCCEEDED, user_id=user.pk, request=request)
    consent_on_login(request=request, user=user)
    if user.processing_restricted:
        return
    location = geo.locate(client_ip(request))
    if location is None:
        return
    # An objection stops inferring the location; the new-country alert protects the account
    # and goes on.
    if (
        not user.processing_objected
        and user.location_source != LocationSource.CHOSEN
        and (user.country != location.country or user.region != location.region)
    ):
        account_set_location(user=user, country="", request=request)
    _note_country(request=request, user=user, country=location.country)


def _note_country(*, request: HttpRequest, user: User, country: str) -> None:
    if KnownCountry.objects.filter(user=user, country=country).exists():
        return
    had_countries = KnownCountry.objects.filter(user=user).exists()
    try:
        with transaction.atomic():
            KnownCountry.objects.create(user=user, country=country)
    except IntegrityError:
        return  # a concurrent sign-in recorded it first, and alerted
    if had_countries:
        security_event_record(
            kind=SecurityEvent.Kind.NEW_COUNTRY, user_id=user.pk, request=request, country=country
        )
        account_alert_new_country(request=request, user=user, country=country)


def account_login_failed(*, request: HttpRequest, email: str) -> None:
    """A wrong password. The event names the account by id, never by the address typed."""
    from allauth.account.models import EmailAddress

    address = (
        EmailAddress.objects.filter(email__iexact=email).only("user_id").first() if email else None
    )
    security_event_record(
        kind=SecurityEvent.Kind.LOGIN_FAILED,
        user_id=address.user_id if address else None,
        request=request,
    )


def account_login_throttled(*, request: HttpRequest) -> None:
    security_event_record(kind=SecurityEvent.Kind.THROTTLED, request=request, detail="login_failed")


def account_alert_new_country(*, request: HttpRequest, user: User, country: str) -> None:
    from django_countries import countries

    get_adapter(request).send_mail(
        "account/email/new_country",
        user.email,
        {"user": user, "country_name": dict(countries).get(country, country)},
    )
