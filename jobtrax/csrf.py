"""This request's CSRF token, masked the way Django masks it, at a fraction of the cost.

Django masks the secret afresh for every response (against BREACH) with a random mask of 32
letters, drawn one `secrets.choice` at a time: about 85 µs, the largest single cost of a page
served from the page cache. Here the mask comes from one read of the operating system's
random source, drawn without bias (bytes at or above the largest multiple of the alphabet's
length are thrown away), and the token has Django's exact form: the CSRF middleware checks it
as its own (tests/test_csrf_tokens.py).
"""

from __future__ import annotations

import os

from django.http import HttpRequest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.middleware.csrf import get_token as django_get_token
from django.utils.functional import SimpleLazyObject

_INDEX = {char: index for index, char in enumerate(CSRF_ALLOWED_CHARS)}
_BASE = len(CSRF_ALLOWED_CHARS)
_LIMIT = 256 - 256 % _BASE  # bytes below this map onto the alphabet evenly


def _mask_indexes(count: int) -> list[int]:
    drawn: list[int] = []
    while len(drawn) < count:
        drawn.extend(byte % _BASE for byte in os.urandom(count + 8) if byte < _LIMIT)
    return drawn[:count]


def mask(secret: str) -> str:
    """`secret` masked with a fresh random mask: the mask, then the secret shifted by it."""
    chars = CSRF_ALLOWED_CHARS
    indexes = _mask_indexes(len(secret))
    masked = "".join(chars[(_INDEX[s] + m) % _BASE] for s, m in zip(secret, indexes, strict=True))
    return "".join(chars[m] for m in indexes) + masked


def get_token(request: HttpRequest) -> str:
    """Django's `get_token`: the request's secret masked afresh, and the cookie renewed."""
    secret = request.META.get("CSRF_COOKIE")
    if (
        not isinstance(secret, str)
        or len(secret) != CSRF_SECRET_LENGTH
        or not all(char in _INDEX for char in secret)
    ):
        return django_get_token(request)  # no secret yet: Django makes one and its cookie
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return mask(secret)


def context_processor(request: HttpRequest) -> dict:
    """`csrf_token` for templates, in place of Django's built-in processor (listed after it)."""
    return {"csrf_token": SimpleLazyObject(lambda: get_token(request))}
