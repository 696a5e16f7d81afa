"""The analytics tag: configured in settings, rendered and allowed by the CSP only with consent."""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

GA4_SCRIPT = "https://www.googletagmanager.com/gtag/js?id={id}"
GA4_HOSTS = {
    "script-src": ["https://www.googletagmanager.com"],
    "connect-src": [
        "https://*.google-analytics.com",
        "https://*.analytics.google.com",
        "https://*.googletagmanager.com",
    ],
    "img-src": ["https://*.google-analytics.com", "https://*.googletagmanager.com"],
}
GA4_ID = re.compile(r"^G-[A-Z0-9]{4,20}$")
# Cookies the tag sets, expired by the server when consent is withdrawn.
GA_COOKIE = re.compile(r"^(_ga|_ga_[A-Za-z0-9]+|_gid|_gat(_.*)?)$")


@dataclass(frozen=True)
class AnalyticsConfig:
    ga4_id: str
    script_url: str
    csp: dict[str, list[str]]

    @property
    def enabled(self) -> bool:
        return bool(self.script_url)


def analytics_config() -> AnalyticsConfig:
    ga4_id = settings.CONSENT_ANALYTICS_GA4_ID
    if ga4_id and GA4_ID.match(ga4_id):
        return AnalyticsConfig(ga4_id, GA4_SCRIPT.format(id=ga4_id), GA4_HOSTS)
    url = settings.CONSENT_ANALYTICS_SCRIPT_URL
    parts = urlsplit(url)
    if parts.scheme not in {"https", "http"} or not parts.netloc:
        return AnalyticsConfig("", "", {})
    origin = f"{parts.scheme}://{parts.netloc}"
    return AnalyticsConfig("", url, {"script-src": [origin], "connect-src": [origin]})


def is_analytics_cookie(name: str) -> bool:
    extra = settings.CONSENT_ANALYTICS_COOKIE_NAMES
    return name in extra or bool(GA_COOKIE.match(name))
