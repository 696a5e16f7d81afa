"""The consent state of one subject, and the signed cookie that remembers it in the browser.

Reads only. consent.services.consent_state() is the entry point everyone calls.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core import signing
from django.http import HttpRequest

COOKIE_SALT = "consent.cookie"


def cookie_name() -> str:
    return settings.CONSENT_COOKIE_NAME


def cookie_max_age() -> int:
    return settings.CONSENT_COOKIE_MAX_AGE_DAYS * 24 * 3600


@dataclass(frozen=True)
class Snapshot:
    """The latest record of a subject, as far as deciding the state needs it."""

    record_id: int
    config_version: str
    analytics: bool
    marketing: bool
    gpc: bool
    gpc_override: bool
    method: str

    @classmethod
    def from_values(cls, values: Sequence) -> "Snapshot":
        """From a record's values in RECORD_FIELDS order (a database row, or the cookie)."""
        record_id, version, analytics, marketing, gpc, override, method = values
        return cls(
            int(record_id),
            str(version),
            _flag(analytics),
            _flag(marketing),
            _flag(gpc),
            _flag(override),
            str(method),
        )

    @classmethod
    def of(cls, record) -> "Snapshot":
        """From a ConsentRecord."""
        return cls.from_values([getattr(record, name) for name in RECORD_FIELDS])

    def values(self) -> tuple:
        return tuple(getattr(self, name) for name in _ATTRIBUTES)


# Each field of a snapshot: its attribute, the ConsentRecord field it comes from, its cookie key.
_MAPPING = (
    ("record_id", "id", "r"),
    ("config_version", "config_version", "v"),
    ("analytics", "analytics", "a"),
    ("marketing", "marketing", "m"),
    ("gpc", "gpc", "g"),
    ("gpc_override", "gpc_override", "o"),
    ("method", "method", "k"),
)
_ATTRIBUTES = tuple(attribute for attribute, _, _ in _MAPPING)
RECORD_FIELDS = tuple(name for _, name, _ in _MAPPING)
_COOKIE_KEYS = tuple(key for _, _, key in _MAPPING)


def _flag(value: object) -> bool:
    # True from PostgreSQL and JSON, 1 from SQLite; anything else reads as not granted.
    return value is True or (type(value) is int and value == 1)


@dataclass(frozen=True)
class ConsentState:
    decided: bool
    analytics_granted: bool
    marketing_granted: bool
    gpc_signal: bool
    gpc_recorded: bool
    gpc_override: bool
    restricted: bool
    browser_id: str
    record_id: int | None

    @property
    def gpc(self) -> bool:
        """Global Privacy Control is in force on this request, unless explicitly overridden."""
        return self.gpc_signal and not self.gpc_override

    @property
    def analytics(self) -> bool:
        return self.analytics_granted and not self.gpc and not self.restricted

    @property
    def marketing(self) -> bool:
        return self.marketing_granted and not self.restricted

    @property
    def gpc_conflict(self) -> bool:
        """GPC is on, and nothing was granted against it: the override can be offered."""
        return self.gpc_signal and not self.gpc_override


def gpc_signal(request: HttpRequest) -> bool:
    if getattr(request, "_consent_gpc_js", False):
        return True
    return request.META.get("HTTP_SEC_GPC", "").strip() == "1"


def read_cookie(request: HttpRequest) -> tuple[str, Snapshot | None]:
    """The browser id and the last known state from the signed cookie. Forgeries read as empty."""
    raw = request.COOKIES.get(cookie_name())
    if not raw or len(raw) > 512:
        return "", None
    return _parse_cookie(raw, settings.SECRET_KEY)


@lru_cache(maxsize=4096)
def _parse_cookie(raw: str, secret_key: str) -> tuple[str, Snapshot | None]:
    # A browser sends the same value on every request until its choice changes, so each value
    # is verified once per process. Keyed on the secret too, so a rotated key is honoured.
    try:
        data = signing.loads(raw, salt=COOKIE_SALT)
    except signing.BadSignature:
        return "", None
    if not isinstance(data, dict):
        return "", None
    browser_id = data.get("b")
    if not isinstance(browser_id, str) or not 8 <= len(browser_id) <= 32:
        return "", None
    try:
        snapshot = Snapshot.from_values([data[key] for key in _COOKIE_KEYS])
    except (KeyError, TypeError, ValueError):
        return browser_id, None
    return browser_id, snapshot


def write_cookie(browser_id: str, snapshot: Snapshot | None) -> str:
    data: dict = {"b": browser_id}
    if snapshot is not None:
        data.update(zip(_COOKIE_KEYS, snapshot.values(), strict=True))
    return signing.dumps(data, salt=COOKIE_SALT, compress=False)
