from http import HTTPStatus
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from consent import marketing, services
from consent.categories import CATEGORIES
from consent.forms import DecisionForm

GPC_HONOURED = (
    "Your browser sends a Global Privacy Control signal, and we honour it: analytics stays off "
    "and nothing about you is sold or shared. To switch analytics on anyway, use the override "
    "on the Privacy choices page."
)


_MAX_NEXT = 2000


def _signed_in(request: HttpRequest) -> bool:
    return request.user.is_authenticated


@never_cache
@require_GET
def choices(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "consent/choices.html",
        {"categories": CATEGORIES, "hide_consent_banner": True},
    )


@require_POST
def decide(request: HttpRequest) -> HttpResponse:
    form = DecisionForm(request.POST, signed_in=_signed_in(request))
    if not form.is_valid():
        return _bad_choice(request, form)
    # `next` is not a form field: an odd value falls back to a safe page, never loses the choice.
    target = _back_to(request, request.POST.get("next", ""))
    try:
        services.consent_record(method=form.method(), choices=form.choices(), request=request)
    except services.ConsentError as error:
        return _bad_choice(request, form, str(error))
    state = services.consent_state(request=request)
    if state.gpc:
        messages.info(request, GPC_HONOURED)
    messages.success(request, "Your privacy choices are saved.")
    return HttpResponseRedirect(target)


def _local_path(request: HttpRequest, url: str) -> str:
    """The path and query of `url` if it stays on this site, else ""."""
    if not url or len(url) > _MAX_NEXT or any(ord(c) < 32 or ord(c) == 127 for c in url):
        return ""
    if not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    # Only a path from the root: a bare word would be taken for a view name or a relative URL.
    if not path.startswith("/") or path.startswith(("//", "/\\")):
        return ""
    return path


def _back_to(request: HttpRequest, next_url: str) -> str:
    """After a choice: the form's `next`, else the page it was made on, else the choices page."""
    return (
        _local_path(request, next_url)
        or _local_path(request, request.headers.get("Referer", ""))
        or reverse("consent:choices")
    )


def _bad_choice(request: HttpRequest, form: DecisionForm, message: str = "") -> HttpResponse:
    errors = [message] if message else [e for errs in form.errors.values() for e in errs]
    return render(
        request,
        "consent/bad_choice.html",
        {"errors": errors, "hide_consent_banner": True},
        status=HTTPStatus.BAD_REQUEST,
    )


@require_POST
def gpc_from_script(request: HttpRequest) -> HttpResponse:
    """The page saw navigator.globalPrivacyControl: record it as if the header had come."""
    request._consent_gpc_js = True
    request.__dict__.pop("_consent_state", None)
    services.consent_apply_gpc(request=request)
    return HttpResponse(status=HTTPStatus.NO_CONTENT)


@require_GET
def gpc_json(request: HttpRequest) -> JsonResponse:
    last_update = settings.CONSENT_GPC_LAST_UPDATE
    return JsonResponse({"gpc": True, "lastUpdate": last_update})


@csrf_exempt  # the signed token is the authority; mail providers POST here (RFC 8058)
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        if request.method == "GET":
            used = marketing.unsubscribe_token_used(token)
            template = "consent/unsubscribe_used.html" if used else "consent/unsubscribe.html"
            status = HTTPStatus.GONE if used else HTTPStatus.OK
            return render(request, template, {"token": token}, status=status)
        if not marketing.consent_unsubscribe(token=token, request=request):
            return render(request, "consent/unsubscribe_used.html", status=HTTPStatus.GONE)
    except marketing.UnsubscribeExpired as error:
        return render(
            request, "consent/unsubscribe_invalid.html", {"error": error}, status=HTTPStatus.GONE
        )
    except marketing.UnsubscribeInvalid as error:
        return render(
            request,
            "consent/unsubscribe_invalid.html",
            {"error": error},
            status=HTTPStatus.BAD_REQUEST,
        )
    return render(request, "consent/unsubscribe_done.html")
