"""Staff sessions: two-factor sign-in before the admin, and an idle timeout."""

import time
from collections.abc import Callable
from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

LAST_SEEN_KEY = "staff_last_seen"


def staff_idle_timeout() -> int:
    """Seconds a staff session may sit idle (STAFF_IDLE_TIMEOUT_MINUTES, 30 by default)."""
    return settings.STAFF_IDLE_TIMEOUT_MINUTES * 60


def mfa_passed(request: HttpRequest) -> bool:
    """Whether this session's sign-in included a second factor (allauth records it)."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class StaffSecurityMiddleware:
    """Place after AuthenticationMiddleware, MessageMiddleware and allauth's AccountMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            response = self._check(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        now = time.time()
        last_seen = request.session.get(LAST_SEEN_KEY)
        if isinstance(last_seen, (int, float)) and now - last_seen > staff_idle_timeout():
            logout(request)
            messages.info(request, "Your staff session expired after a period of inactivity.")
            return _redirect("account_login", next_url=request.get_full_path())
        # Rewriting the session on every request would cost a write each time; a minute is
        # precise enough for a timeout counted in minutes.
        if not isinstance(last_seen, (int, float)) or now - last_seen > 60:
            request.session[LAST_SEEN_KEY] = now

        admin_root = reverse("admin:index")
        if not request.path.startswith(admin_root) or request.path == reverse("admin:logout"):
            return None
        if not has_totp(request.user):
            messages.warning(
                request, "Staff accounts need an authenticator app before using the staff console."
            )
            return _redirect("mfa_activate_totp", next_url=request.get_full_path())
        if not mfa_passed(request):
            return _redirect("mfa_reauthenticate", next_url=request.get_full_path())
        return None


def _redirect(url_name: str, *, next_url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(url_name)}?{urlencode({'next': next_url})}")
