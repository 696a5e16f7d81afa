"""The consent categories, their descriptions and the configuration version, in one place.

When CONSENT_CONFIG_VERSION changes, earlier choices no longer count and everyone is asked again.
"""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    description: str
    required: bool = False
    # "cookie" categories are asked in the banner; "email" ones only at signup and in settings.
    kind: str = "cookie"


NECESSARY = "necessary"
ANALYTICS = "analytics"
MARKETING = "marketing"

CATEGORIES: tuple[Category, ...] = (
    Category(
        NECESSARY,
        "Strictly necessary",
        "Keep you signed in, protect forms against forgery and remember these choices. "
        "They are always on, because the site does not work without them.",
        required=True,
    ),
    Category(
        ANALYTICS,
        "Analytics",
        "An analytics tag and its cookies, to count visits and see which pages help. "
        "Off unless you switch it on.",
    ),
    Category(
        MARKETING,
        "Marketing emails",
        "Occasional emails about new JobTrax features. Off unless you switch it on; "
        "every email has a one-click unsubscribe link.",
        kind="email",
    ),
)

OPTIONAL_KEYS: tuple[str, ...] = tuple(c.key for c in CATEGORIES if not c.required)
COOKIE_KEYS: tuple[str, ...] = tuple(
    c.key for c in CATEGORIES if c.kind == "cookie" and not c.required
)


class UnknownCategory(ValueError):
    def __init__(self, key: str):
        super().__init__(f"Unknown consent category: {key!r}")
        self.key = key


def config_version() -> str:
    return settings.CONSENT_CONFIG_VERSION


def get_category(key: str) -> Category:
    for category in CATEGORIES:
        if category.key == key:
            return category
    raise UnknownCategory(key)
