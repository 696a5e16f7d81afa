from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from consent import services
from consent.analytics import analytics_config, is_analytics_cookie
from consent.state import cookie_max_age, cookie_name


class ConsentMiddleware:
    """Applies Global Privacy Control, keeps the consent cookie, and expires analytics cookies.

    Sits after the CSP middleware, so the analytics host it adds reaches the CSP header.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.META.get("HTTP_SEC_GPC"):
            services.consent_apply_gpc(request=request)
        response = self.get_response(request)

        new_cookie = getattr(request, "_consent_cookie", None)
        if new_cookie is not None:
            response.set_cookie(
                cookie_name(),
                new_cookie,
                max_age=cookie_max_age(),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        if request.COOKIES:
            self._expire_analytics_cookies(request, response)
        state = getattr(request, "_consent_state", None)
        if state is not None and state.analytics:
            config = analytics_config()
            if config.enabled:
                update = dict(getattr(response, "_csp_update", None) or {})
                for directive, sources in config.csp.items():
                    update[directive] = [*update.get(directive, []), *sources]
                response._csp_update = update
        return response

    def _expire_analytics_cookies(self, request: HttpRequest, response: HttpResponse) -> None:
        names = [name for name in request.COOKIES if is_analytics_cookie(name)]
        if not names:
            return
        withdrawn = getattr(request, "_consent_expire_analytics", False)
        if not withdrawn and services.consent_state(request=request).analytics:
            return
        domain = settings.CONSENT_ANALYTICS_COOKIE_DOMAIN or None
        for name in names:
            response.delete_cookie(name, domain=domain, samesite="Lax")
