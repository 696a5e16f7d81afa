"""Coarse facts from a User-Agent string: the request log, session records and consent proof
keep these, never the string itself."""

from functools import lru_cache

_MOBILE_OS = {"iOS", "Android", "Windows Phone", "BlackBerry OS", "KaiOS", "Firefox OS"}
_DESKTOP_OS = {"Windows", "Mac OS X", "Linux", "Ubuntu", "Fedora", "Chrome OS", "FreeBSD"}


@lru_cache(maxsize=2048)
def parse_user_agent(user_agent: str) -> tuple[str, str, str, str]:
    """(browser family, browser major, OS family, device type) of a User-Agent string."""
    from ua_parser import parse  # its rules load on first use, not at start-up

    result = parse(user_agent)
    browser = result.user_agent
    os_ = result.os
    device = result.device
    browser_family = browser.family if browser else ""
    os_family = os_.family if os_ else ""
    device_family = device.family if device else ""
    if device_family == "Spider" or "bot" in browser_family.lower():
        device_type = "bot"
    elif device_family == "iPad" or "tablet" in ((device.brand or "") if device else "").lower():
        device_type = "tablet"
    elif os_family in _MOBILE_OS:
        device_type = "mobile"
    elif os_family in _DESKTOP_OS:
        device_type = "desktop"
    else:
        device_type = "other"
    return (
        browser_family[:50],
        ((browser.major or "") if browser else "")[:10],
        os_family[:50],
        device_type,
    )


def browser_family(user_agent: str) -> str:
    """The browser's family alone ("Other" when it cannot be told)."""
    return parse_user_agent(user_agent)[0] or "Other"
