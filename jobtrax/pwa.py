"""The installable app: its web app manifest, its service worker and its offline page.

The manifest's `share_target` lets Android's share sheet send a link or text to the importer
(`importer:share`). The service worker keeps one page, the offline page, and the static files
that page needs; it caches no personal page and no answer of the server.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe

THEME = "#0b5cad"
# Bump it when the offline page or the files it uses change: the old cache is then dropped.
CACHE_VERSION = "offline-v1"


@require_safe
def manifest(request: HttpRequest) -> JsonResponse:
    icons = [
        {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {"src": static("img/icon-maskable-512.png"), "sizes": "512x512", "type": "image/png",
         "purpose": "maskable"},
        {"src": static("img/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
    ]  # fmt: skip
    body = {
        "id": "/",
        "name": "JobTrax",
        "short_name": "JobTrax",
        "description": "Track your job search; keep as little personal data as possible.",
        "start_url": reverse("jobs:board"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME,
        "icons": icons,
        "share_target": {
            "action": reverse("importer:share"),
            "method": "POST",
            "enctype": "multipart/form-data",
            "params": {"title": "title", "text": "text", "url": "url"},
        },
    }
    response = JsonResponse(body, content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    response = render(
        request,
        "pwa/sw.js",
        {
            "cache_version": CACHE_VERSION,
            "offline_url": reverse("offline"),
            "share_url": reverse("importer:share"),
            "assets": [static("css/site.css"), static("img/icon.svg")],
        },
        content_type="text/javascript; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def offline(request: HttpRequest) -> HttpResponse:
    return render(request, "pwa/offline.html")
