from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from api import services
from api.forms import TokenForm
from api.models import EXTENSION_SCOPES, SCOPES, ApiToken
from api.problems import problem_response
from api.v1 import api
from jobtrax import datamap


def _tokens(user) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-pk"))


@login_required
@require_http_methods(["GET", "POST"])
def connected_apps(request: HttpRequest) -> HttpResponse:
    """The person's tokens, and a form for a new one; its secret is shown once, here."""
    form = TokenForm(request.POST if request.method == "POST" else None)
    secret = ""
    status = HTTPStatus.OK
    if request.method == "POST":
        if form.is_valid():
            try:
                _token, secret = services.token_create(
                    user=request.user,
                    name=form.cleaned_data["name"],
                    scopes=form.cleaned_data["scopes"],
                    days=form.cleaned_data["days"],
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
                status = HTTPStatus.BAD_REQUEST
            else:
                form = TokenForm()
        else:
            status = HTTPStatus.BAD_REQUEST
    response = render(
        request,
        "api/connected_apps.html",
        {"form": form, "secret": secret, "tokens": _tokens(request.user), "scopes": SCOPES,
         "now": timezone.now(), "ended_window": datamap.policy("ended_api_tokens").window_display},
        status=status,
    )  # fmt: skip
    if secret:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.token_revoke(token=token)
    messages.success(request, f"“{token.name}” is revoked: it no longer works.")
    return redirect("api:connected_apps")


@login_required
@require_http_methods(["GET", "POST"])
def connect_extension(request: HttpRequest) -> HttpResponse:
    """The extension opens this page; the person approves, and the page holds a new token
    (import and read only) in one element, which the extension reads and then closes the tab.
    The page cannot be framed (frame-ancestors 'none') and the approval is a CSRF-checked
    POST, so no other site can obtain a token through it."""
    secret = ""
    if request.method == "POST":
        _token, secret = services.token_create(
            user=request.user,
            name=f"Browser extension, connected {timezone.localdate():%-d %b %Y}",
            scopes=EXTENSION_SCOPES,
            client=ApiToken.Client.EXTENSION,
        )
    response = render(
        request,
        "api/connect_extension.html",
        {"secret": secret, "scopes": [SCOPES[s] for s in EXTENSION_SCOPES]},
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def docs(request: HttpRequest) -> HttpResponse:
    """Readable docs beside the OpenAPI document, rendered here from it: no script or style
    from elsewhere, so the site's CSP stays as strict as on every other page."""
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    operations = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "tag": (operation.get("tags") or [""])[0],
                    "parameters": operation.get("parameters", []),
                    "body": bool(operation.get("requestBody")),
                }
            )
    return render(
        request,
        "api/docs.html",
        {"info": schema["info"], "operations": operations, "scopes": SCOPES},
    )


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return problem_response(request, HTTPStatus.NOT_FOUND, "There is no such API path.")
