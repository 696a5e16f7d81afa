"""A page's text: the charset from the HTTP header, the meta tag, or detection."""

from __future__ import annotations

import re

from w3lib.encoding import html_to_unicode

_UTF8_HEADER = re.compile(r"charset\s*=\s*[\"']?utf-?8\b", re.IGNORECASE)
# Bytes looked at when guessing a charset that nothing declares.
DETECT_BYTES = 64 * 1024


def _detect(body: bytes) -> str | None:
    sample = body[:DETECT_BYTES]
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as error:
        if error.start > len(sample) - 4:  # only a character cut at the sample's end
            return "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    return best.encoding if best else "cp1252"


def decode(content: bytes | str, *, content_type: str = "") -> str:
    if isinstance(content, str):
        return content
    if _UTF8_HEADER.search(content_type) and not content.startswith((b"\xfe\xff", b"\xff\xfe")):
        # The common case, declared by the server: no need to look further.
        return content.decode("utf-8", errors="replace").removeprefix("\ufeff")
    _encoding, text = html_to_unicode(content_type or None, content, auto_detect_fun=_detect)
    return text
