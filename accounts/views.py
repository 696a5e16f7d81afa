import time
from http import HTTPStatus

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.adapter import (
    DELETION_CHOICE_KEY,
    DELETION_CHOICE_SECONDS,
    deletion_cancelled_message,
)
from accounts.forms import LocationForm
from accounts.services import account_set_location
from rights.services import (
    deletion_cancel_on_login,
    deletion_open_request,
    deletion_pending,
)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = LocationForm(request.POST)
        if form.is_valid():
            account_set_location(
                user=user,
                country=form.cleaned_data["country"],
                region=form.cleaned_data["region"],
                request=request,
            )
            messages.success(request, "Your location was saved.")
            return redirect("accounts:profile")
    else:
        initial = {}
        if user.location_source == "chosen":
            initial = {"country": user.country.code, "region": user.region}
        form = LocationForm(initial=initial)
    emails = EmailAddress.objects.filter(user=user).order_by("-primary", "email")
    return render(request, "accounts/profile.html", {"form": form, "emails": emails})


def _waiting_choice(request: HttpRequest):
    """The account that signed in during its deletion's grace period, if it is this session's
    and the choice is still fresh."""
    pending = request.session.get(DELETION_CHOICE_KEY) or {}
    if time.time() - float(pending.get("at", 0)) > DELETION_CHOICE_SECONDS:
        return None
    user = get_user_model().objects.filter(pk=pending.get("user"), is_active=False).first()
    return user if user is not None and deletion_pending(user) else None


@require_http_methods(["GET", "POST"])
def deletion_choice(request: HttpRequest) -> HttpResponse:
    """After a sign-in during the grace period: keep the deletion, or cancel it."""
    user = _waiting_choice(request)
    if user is None:
        request.session.pop(DELETION_CHOICE_KEY, None)
        return redirect("account_login")
    choice = request.POST.get("choice") if request.method == "POST" else None
    if choice == "cancel":
        request.session.pop(DELETION_CHOICE_KEY, None)
        deletion_cancel_on_login(user=user)
        get_adapter(request).login(request, user)
        deletion_cancelled_message(request)
        return redirect("jobs:board")
    if choice == "keep":
        erase_after = deletion_open_request(user).erase_after
        logout(request)
        messages.info(
            request,
            f"Your account stays closed and will be deleted on {erase_after:%-d %B %Y}. "
            "You are not signed in.",
        )
        return redirect("home")
    status = HTTPStatus.BAD_REQUEST if request.method == "POST" else HTTPStatus.OK
    return render(
        request,
        "accounts/deletion_choice.html",
        {"erase_after": deletion_open_request(user).erase_after, "invalid": choice is not None},
        status=status,
    )
