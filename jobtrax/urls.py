from allauth.account import views as account_views
from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from api.urls import api_urlpatterns
from jobtrax import pwa, views
from jobtrax.visitorcache import visitor_page

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
    path("", include("accounts.urls")),
    path("", include("consent.urls")),
    path("", include("privacy.urls")),
    path("", include("support.urls")),
    path("", include("rights.urls")),
    path("", include("logs_retention.urls")),
    path("", include("assistant.urls")),
    path("", include("jobs.urls")),
    path("", include("importer.urls")),
    path("", include("inbox.urls")),
    path("", include("api.urls")),
    *api_urlpatterns,
    path("admin/", admin.site.urls),
]

handler400 = "jobtrax.views.bad_request"
handler403 = "jobtrax.views.permission_denied"
handler404 = "jobtrax.views.page_not_found"
handler500 = "jobtrax.views.server_error"
