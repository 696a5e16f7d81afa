from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.forms import LocationForm
from accounts.services import account_set_location


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
