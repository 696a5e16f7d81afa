"""Path converters for the tokens in links, matching the shape each one really has.

A path segment of another shape (a NUL byte, unicode, 4 KB of text) is a 404 at the router,
before any view or query sees it.
"""

from django.urls import register_converter


class _StrConverter:
    regex = ""

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class LinkTokenConverter(_StrConverter):
    """`secrets.token_urlsafe`: URL-safe base64, as for an export's download link."""

    regex = r"[A-Za-z0-9_-]{16,86}"


class SignedConverter(_StrConverter):
    """`django.core.signing.dumps`: base64 payload, base62 timestamp and signature, `:`-joined."""

    regex = r"[A-Za-z0-9_.:-]{1,400}"


class NoticeNumberConverter(_StrConverter):
    """A privacy notice's version number, like 1.0 or 2.13 (see privacy.models.NUMBER_RE)."""

    regex = r"[0-9]{1,4}\.[0-9]{1,4}"


def register() -> None:
    register_converter(LinkTokenConverter, "link_token")
    register_converter(SignedConverter, "signed")
    register_converter(NoticeNumberConverter, "notice_number")
