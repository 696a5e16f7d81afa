"""Signed-in session records (allauth's usersessions) keep what the request log keeps.

allauth writes a UserSession row at sign-in and on every request, with the client's address and
User-Agent string, so that a person can see where they are signed in and end a session. A
truncated address (/24, /48) and the parsed browser, OS and device type serve that as well as
the originals, so only those are stored. allauth offers no hook for what it writes: the
pre_save receiver below is the one place its rows pass through.
"""

import re

from django.db.models.signals import pre_save
from django.dispatch import receiver

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
