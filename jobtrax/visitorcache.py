"""Pages a first-time visitor sees, rendered once every few seconds per process.

A visitor with no cookie (or only the CSRF cookie) gets the same home page and the same
privacy notice as every other such visitor, but for two values each response must have of its
own: the CSP nonce and the CSRF token. The page is rendered once, those two values are swapped
for placeholders, and each later response of the next SECONDS gets its own values put back.
Any other visitor (a consent cookie, a session, a message waiting, a query string) gets the
page rendered for them, as does everyone once the SECONDS are over: the notice and the tables
these pages show are themselves re-read every few seconds (jobtrax.cache.memoised).
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from functools import wraps

from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponse

from jobtrax import cache as safe_cache
from jobtrax.csrf import get_token

# As long as the memos these pages are built from (jobtrax.cache.LOCAL_SECONDS); a memo
# forgotten in this process (a notice published here) drops the kept pages at once.
SECONDS = safe_cache.LOCAL_SECONDS
# Random per process, so no page content can forge them.
_NONCE = f"~visitor-nonce-{secrets.token_hex(8)}~"
_TOKEN = f"~visitor-csrf-{secrets.token_hex(8)}~"
_TOKEN_FIELD = 'name="csrfmiddlewaretoken" value="'  # noqa: S105 - an HTML attribute
# Cookies a first-time visitor's page does not depend on: the CSRF token is put back per
# response.
_NEUTRAL_COOKIES = {"csrftoken"}

_pages: dict[tuple[str, str], tuple[float, int, list[tuple[str, str]], str]] = {}
# Headers the view set that a kept copy must not repeat: the length changes with the values
# put back, and cookies belong to one visitor.
_NOT_KEPT = {"content-length", "set-cookie"}
_lock = threading.Lock()


def clear(**kwargs) -> None:
    with _lock:
        _pages.clear()


setting_changed.connect(clear, dispatch_uid="jobtrax.visitorcache.clear")


def _plain_visit(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and not request.META.get("QUERY_STRING")
        and set(request.COOKIES) <= _NEUTRAL_COOKIES
        and not request.user.is_authenticated
    )


def _template(html: str, nonce: str | None, token: str | None) -> str | None:
    """The page with its nonce and token replaced by placeholders; None when a token cannot be
    told apart from the rest of the page."""
    if nonce:
        html = html.replace(nonce, _NONCE)
    if _TOKEN_FIELD in html:
        start = html.index(_TOKEN_FIELD) + len(_TOKEN_FIELD)
        token = html[start : html.index('"', start)]
    if token:
        html = html.replace(token, _TOKEN)
    if _TOKEN_FIELD in html and f"{_TOKEN_FIELD}{_TOKEN}" not in html:
        return None
    return html


def visitor_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve `view`'s page to first-time visitors from a per-process copy (see the module)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _plain_visit(request):
            return view(request, *args, **kwargs)
        key = (request.path, request.headers.get("Sec-GPC", ""))
        now = time.monotonic()
        kept = _pages.get(key)
        if kept is not None and kept[0] > now and kept[1] == safe_cache.generation:
            _, _, headers, html = kept
            if _NONCE in html:
                html = html.replace(_NONCE, str(request.csp_nonce))
            if _TOKEN in html:
                html = html.replace(_TOKEN, get_token(request))
            response = HttpResponse(html)
            for name, value in headers:
                response[name] = value
            return response
        generation = safe_cache.generation
        response = view(request, *args, **kwargs)
        if getattr(response, "is_rendered", True) is False:
            response.render()  # a TemplateResponse: its content is needed now
        if response.status_code != 200 or response.streaming or response.cookies:
            return response
        html = _template(
            response.content.decode(response.charset),
            getattr(request, "_csp_nonce", None),
            None,
        )
        if html is not None:
            with _lock:
                headers = [(k, v) for k, v in response.items() if k.lower() not in _NOT_KEPT]
                _pages[key] = (now + SECONDS, generation, headers, html)
        return response

    return wrapper
