"""Signed-in session records (allauth's usersessions) keep what the request log keeps.

allauth writes a UserSession row at sign-in and on every request, with the client's address and
User-Agent string, so that a person can see where they are signed in and end a session. A
truncated address (/24, /48) and the parsed browser, OS and device type serve that as well as
the originals, so only those are stored. allauth offers no hook for what it writes: the
pre_save receiver below is the one place its rows pass through.
"""

import re
import time
from collections.abc import Callable

from allauth.usersessions.internal import usersessionkit
from django.conf import settings
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from jobtrax.net import truncate_ip
from jobtrax.useragent import parse_user_agent

DEVICE_TYPES = ("desktop", "mobile", "tablet", "bot", "other")
# What describe_user_agent returns; a value of this shape is already reduced.
_DESCRIBED = re.compile(r"^[^·]{0,61} · [^·]{0,50} · (" + "|".join(DEVICE_TYPES) + r")$")


def describe_user_agent(user_agent: str) -> str:
    """`Firefox 120 · Linux · desktop`: the browser family and major version, OS, device type."""
    if _DESCRIBED.match(user_agent or ""):
        return user_agent
    browser, major, os_family, device = parse_user_agent(user_agent or "")
    browser = f"{browser} {major}".strip() if browser else "Unknown browser"
    return f"{browser} · {os_family or 'Unknown OS'} · {device}"


def session_record_reduce(session) -> None:
    """Truncate the address and replace the User-Agent by its parsed form, in place."""
    session.user_agent = describe_user_agent(session.user_agent)
    truncated = truncate_ip(session.ip)
    if truncated is not None:
        session.ip = truncated


@receiver(pre_save, sender="usersessions.UserSession", dispatch_uid="accounts.session_reduce")
def _reduce_before_saving(sender, instance, **kwargs) -> None:
    session_record_reduce(instance)


ACTIVITY_KEY = "_activity_tracked_at"


class SessionActivityMiddleware:
    """allauth's session activity tracking, written at most once per session every
    USERSESSIONS_ACTIVITY_MINUTES.

    allauth's own middleware rewrites the UserSession row (five queries in a transaction) on
    every signed-in request. The "signed-in devices" list shows the last activity to the
    minute at best, so a write every few minutes keeps it true at a fraction of the cost. The
    time of the last write lives in the session itself, which is loaded anyway: deciding costs
    no query and no cache round trip.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            last = session.get(ACTIVITY_KEY)
            interval = settings.USERSESSIONS_ACTIVITY_MINUTES * 60
            if not isinstance(last, int) or not 0 <= now - last < interval:
                usersessionkit.track_activity(request, user=user, session=session)
                if session.session_key:
                    session[ACTIVITY_KEY] = now
        return self.get_response(request)
