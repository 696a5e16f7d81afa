"""The private calendar feed: create, replace, revoke, and find a feed by its URL's token."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jobs import ics
from jobs.models import CalendarFeed, Interview, Job, TrackerSettings
from jobtrax import pagecache

TOKEN_MAX = 100


def _token(nonce: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"calendar-feed:{nonce}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_token(feed: CalendarFeed) -> str:
    return _token(feed.nonce)


def feed_urls(feed: CalendarFeed, request=None) -> dict[str, str]:
    """The feed's address, on the host the person uses (or SITE_URL), as https and webcal."""
    path = reverse("jobs:calendar_feed", kwargs={"token": feed_token(feed)})
    if request is not None:
        https = request.build_absolute_uri(path)
    else:
        https = settings.SITE_URL.rstrip("/") + path
    parts = urlsplit(https)
    return {"https": https, "webcal": urlunsplit(("webcal", *parts[1:]))}


def active_feed(user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).order_by("-pk").first()


def calendar_feed_create(*, user, discreet: bool = False) -> CalendarFeed:
    """A new feed; any feed the person had stops (replacing a feed is creating one)."""
    with transaction.atomic():
        calendar_feed_revoke(user=user)
        nonce = secrets.token_urlsafe(32)
        return CalendarFeed.objects.create(
            user=user, nonce=nonce, token_hash=_hash(_token(nonce)), discreet=discreet
        )


def calendar_feed_revoke(*, user) -> int:
    revoked = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    pagecache.bump([user.pk])  # "Your data" says whether a feed is active
    return revoked


def calendar_feed_set_discreet(*, feed: CalendarFeed, discreet: bool) -> CalendarFeed:
    feed.discreet = discreet
    feed.save(update_fields=["discreet"])
    return feed


class FeedGone(Exception):
    """The feed was revoked, or its account is restricted or closing: 410."""


def feed_by_token(token: str) -> CalendarFeed | None:
    """The live feed of a token; None when no feed has it (404); FeedGone when it stopped."""
    if not token or len(token) > TOKEN_MAX:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=_hash(token)).first()
    if feed is None:
        return None
    if feed.revoked_at is not None or feed.user.processing_restricted:
        raise FeedGone
    return feed


def feed_body(feed: CalendarFeed) -> str:
    """The feed's calendar: live jobs' follow-ups and deadlines, the interviews, and the
    interviews deleted lately as cancelled events. Three queries, whatever the numbers."""
    user_id = feed.user_id
    discreet = feed.discreet or bool(
        TrackerSettings.objects.filter(user_id=user_id).values_list("discreet", flat=True).first()
    )
    jobs = Job.objects.filter(user_id=user_id, archived_at__isnull=True).only(
        "pk", "title", "company", "follow_up_on", "valid_through", "updated_at"
    )
    since = timezone.now() - timedelta(days=settings.JOBS_FEED_PAST_DAYS)
    interviews = (
        Interview.objects.filter(user_id=user_id, starts_at__gte=since)
        .select_related("job")
        .only(*ics.INTERVIEW_FIELDS)
        .order_by("starts_at", "pk")
    )
    CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=timezone.now())
    return ics.calendar_for(jobs, interviews=interviews, discreet=discreet)
