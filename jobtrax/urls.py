import re
from importlib import import_module

from allauth.account import views as account_views
from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path, re_path

from api.urls import api_urlpatterns
from jobtrax import pwa, views
from jobtrax.visitorcache import visitor_page


def _first_segment(route: str) -> str | None:
    """The literal start of a route up to its first slash ("jobs/"), None if it starts with
    a converter."""
    head = route.split("/", 1)[0]
    if not head or "<" in head:
        return None
    return head + "/" if "/" in route else head


def app_urls(module: str):
    """`include(module)` at the root, behind a look-ahead for the first segments of its
    routes: Django tries every pattern of every app in turn, and a path that starts with
    none of an app's segments now skips that app with one anchored match of literal
    alternatives. The look-ahead consumes nothing, so the app's routes and `reverse()` are
    unchanged (Django ignores look-aheads when reversing); tests/test_url_order.py resolves
    every route."""
    firsts = {_first_segment(str(p.pattern)) for p in import_module(module).urlpatterns}
    if not firsts or None in firsts:
        return path("", include(module))
    guard = "|".join(re.escape(first) for first in sorted(firsts))
    return re_path(rf"^(?={guard})", include(module))


# The admin signs in through allauth, so its rate limits (and later MFA) apply.
admin.autodiscover()
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "JobTrax staff console"
admin.site.site_title = "JobTrax staff"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("manifest.webmanifest", pwa.manifest, name="webmanifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
    # allauth's sign-in page, kept for first-time visitors like the home page (the form's
    # token put back per response); everything else about it is allauth's.
    path("accounts/login/", visitor_page(account_views.login), name="account_login"),
    path("accounts/", include("allauth.urls")),
    app_urls("accounts.urls"),
    app_urls("consent.urls"),
    app_urls("privacy.urls"),
    app_urls("support.urls"),
    app_urls("rights.urls"),
    app_urls("logs_retention.urls"),
    app_urls("assistant.urls"),
    app_urls("jobs.urls"),
    app_urls("importer.urls"),
    app_urls("inbox.urls"),
    app_urls("api.urls"),
    *api_urlpatterns,
    path("admin/", admin.site.urls),
]

handler400 = "jobtrax.views.bad_request"
handler403 = "jobtrax.views.permission_denied"
handler404 = "jobtrax.views.page_not_found"
handler500 = "jobtrax.views.server_error"
