"""How a job came in: the one registry of capture channels.

A job's `channel` is a plain string (no choices on the model field, so a new way in never
needs a migration). A new way in registers its channel here or from its own module with
`register_channel("name", "Label")`; the job's `board` (which ATS or job board it was read
from, if any) is a separate plain string that the jobs app never interprets.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

MANUAL = "manual"
CHANNEL_MAX = 16

CHANNELS: dict[str, str] = {
    "manual": "Added by hand",
    "link": "From a link",
    "paste": "From a pasted page",
    "bookmarklet": "From the bookmarklet",
    "extension": "From the browser extension",
    "share": "Shared from a phone",
    "email": "From a forwarded email",
    "api": "From the API",
    "csv": "From a CSV file",
}


def register_channel(name: str, label: str) -> None:
    """Make `name` a valid channel, shown as `label`."""
    if not name or len(name) > CHANNEL_MAX or not name.replace("_", "").isalnum():
        raise ValueError(f"a channel is 1 to {CHANNEL_MAX} letters, digits or underscores")
    CHANNELS[name] = label


def is_channel(name: str) -> bool:
    return name in CHANNELS


def channel_label(name: str) -> str:
    """The channel's label, or the name itself for one no longer registered."""
    return CHANNELS.get(name, name)


def validate_channel(value: str) -> None:
    if value not in CHANNELS:
        raise ValidationError("Unknown channel.", code="channel")
