"""Staff dashboards: charts drawn on the server as SVG (no script, no CDN, nothing inline).

Each dashboard names the permission that opens it; the admin index lists only those a person
may open. Models of other apps are looked up lazily, so a missing app shows "not available".
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse


@dataclass(frozen=True)
class Dashboard:
    slug: str
    title: str
    permission: str
    build: Callable[[], dict]


DASHBOARDS: list[Dashboard] = []


def dashboards_for(user) -> list[Dashboard]:
    return [d for d in DASHBOARDS if user.has_perm(d.permission)]


def dashboard_view(request: HttpRequest, slug: str) -> HttpResponse:
    from django.contrib import admin

    dashboard = next((d for d in DASHBOARDS if d.slug == slug), None)
    if dashboard is None:
        raise Http404("No such dashboard")
    if not request.user.has_perm(dashboard.permission):
        raise PermissionDenied
    context = {
        **admin.site.each_context(request),
        "title": dashboard.title,
        "dashboard": dashboard,
        "dashboards": dashboards_for(request.user),
        **dashboard.build(),
    }
    return TemplateResponse(request, f"admin/dashboards/{slug}.html", context)
