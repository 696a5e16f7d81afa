"""django-csp's middleware, with each policy built once rather than on every response.

django-csp builds the Content-Security-Policy header from the settings on every response, twice
(the policy and its report-only twin), which costs more than the rest of a small page's
middleware. The header depends only on the settings, the response's own additions
(`_csp_update` and friends, from the consent middleware and decorators) and the request's nonce,
so the built string is remembered per settings-and-additions, with a placeholder where the nonce
goes, and the placeholder is replaced per response. The cache is emptied when settings change.
"""

from __future__ import annotations

import secrets
import threading

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponseBase

# Random per process, so no page content can forge it; base64 nonces never contain '~'.
_PLACEHOLDER = f"~nonce{secrets.token_hex(8)}~"
_MAX_ENTRIES = 256
_built: dict[tuple, str] = {}
_lock = threading.Lock()


def _frozen(value):
    if isinstance(value, dict):
        return tuple(sorted((key, _frozen(item)) for key, item in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, set):
        return tuple(sorted(_frozen(item) for item in value))
    return value


def policy_header(*, config, update, replace, nonce: str | None, report_only: bool) -> str:
    key = (_frozen(config), _frozen(update), _frozen(replace), nonce is not None, report_only)
    template = _built.get(key)
    if template is None:
        template = build_policy(
            config=config,
            update=update,
            replace=replace,
            nonce=_PLACEHOLDER if nonce is not None else None,
            report_only=report_only,
        )
        with _lock:
            if len(_built) >= _MAX_ENTRIES:
                _built.clear()
            _built[key] = template
    return template.replace(_PLACEHOLDER, nonce) if nonce is not None else template


def _forget(**kwargs) -> None:
    with _lock:
        _built.clear()


setting_changed.connect(_forget, dispatch_uid="jobtrax.csp.forget")


class MemoCSPMiddleware(CSPMiddleware):
    """django-csp's CSPMiddleware (same settings, decorators and exemptions), its two headers
    built by `policy_header`."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if response.status_code in (500, 404) and settings.DEBUG:
            return response
        for header, report_only, setting, exempt in (
            (HEADER, False, "CONTENT_SECURITY_POLICY", "_csp_exempt"),
            (HEADER_REPORT_ONLY, True, "CONTENT_SECURITY_POLICY_REPORT_ONLY", "_csp_exempt_ro"),
        ):
            parts = self.get_policy_parts(
                request=request, response=response, report_only=report_only
            )
            policy = policy_header(
                config=parts.config,
                update=parts.update,
                replace=parts.replace,
                nonce=parts.nonce,
                report_only=report_only,
            )
            if not policy or getattr(response, exempt, False) is not False or header in response:
                continue
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if not request.path_info.startswith(tuple(prefixes)):
                response[header] = policy
        if getattr(request, "_csp_nonce", None) is None:
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
