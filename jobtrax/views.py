from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe


def _kept_rows() -> list[dict]:
    """What we keep, and for how long: one row per retention policy, in plain words."""
    from logs_retention.policies import ANONYMISE, get_policies

    return [
        {
            "what": policy.covers.split(":")[0],
            "how_long": ("Anonymised" if policy.action == ANONYMISE else "Deleted")
            + f" after {policy.window_display}",
        }
        for policy in get_policies()
    ]


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"kept": _kept_rows()})


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    # Browsers ask for /favicon.ico whatever the page's <link rel=icon> says.
    return redirect(static("favicon.ico"), permanent=True)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    from django.template import loader

    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/csrf.html", status=403)
