from http import HTTPStatus

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from jobtrax import datamap
from support import services
from support.forms import ContactForm


def _contact_page(request: HttpRequest, form: ContactForm, status: int = HTTPStatus.OK):
    return render(
        request,
        "support/contact.html",
        {
            "form": form,
            "company_name": settings.JOBTRAX_COMPANY_NAME,
            "privacy_email": settings.JOBTRAX_PRIVACY_EMAIL,
            "support_email": settings.JOBTRAX_SUPPORT_EMAIL,
            "kept_for": datamap.policy("support_messages").window_display,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    user = request.user if request.user.is_authenticated else None
    if request.method != "POST":
        initial = {"topic": request.GET.get("topic", "")}
        if user is not None:
            initial["email"] = user.email
        return _contact_page(request, ContactForm(initial=initial))
    form = ContactForm(request.POST)
    if not form.is_valid():
        return _contact_page(request, form, HTTPStatus.BAD_REQUEST)
    if form.is_bot:
        # Told nothing: software that fills the hidden field learns nothing from the answer.
        return redirect("support:sent")
    try:
        allowed = services.contact_allowed(request=request, email=form.cleaned_data["email"])
    except services.ContactUnavailable:
        form.add_error(
            None,
            "The contact form is unavailable right now. Please try again in a few minutes, "
            "or write to us at the address below.",
        )
        return _contact_page(request, form, HTTPStatus.SERVICE_UNAVAILABLE)
    if not allowed:
        form.add_error(
            None,
            "You have sent several messages in a short time. Please wait a few minutes "
            "before sending another, or write to us at the address below.",
        )
        return _contact_page(request, form, HTTPStatus.TOO_MANY_REQUESTS)
    services.support_message_create(
        topic=form.cleaned_data["topic"],
        email=form.cleaned_data["email"],
        message=form.cleaned_data["message"],
        user=user,
    )
    return redirect("support:sent")


@require_GET
def sent(request: HttpRequest) -> HttpResponse:
    return render(request, "support/sent.html")
