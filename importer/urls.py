from django.urls import path

from importer import views

app_name = "importer"

urlpatterns = [
    path("jobs/import/", views.start, name="start"),
    path("jobs/import/hold/", views.capture_hold, name="hold"),
    path("jobs/import/resume/", views.capture_resume, name="resume"),
    path("jobs/import/bookmarklet/", views.bookmarklet, name="bookmarklet"),
    path("jobs/import/fetcher/", views.fetcher, name="fetcher"),
    path("share/", views.share, name="share"),
    path("jobs/import/<uuid:pk>/", views.preview, name="preview"),
    path("jobs/import/<uuid:pk>/update/", views.preview_update, name="update"),
    path("jobs/import/<uuid:pk>/status/", views.preview_status, name="status"),
    path("jobs/import/<uuid:pk>/discard/", views.preview_discard, name="discard"),
]
