from django.urls import path

from rights import views

app_name = "rights"

urlpatterns = [
    path("data/", views.your_data, name="your_data"),
    path("data/export/", views.export_request, name="export_request"),
    path("data/exports/<link_token:token>/", views.export_detail, name="export_detail"),
    path(
        "data/exports/<link_token:token>/download/", views.export_download, name="export_download"
    ),
    path("data/delete/", views.deletion_request, name="deletion_request"),
    path("data/delete/cancel/<signed:token>/", views.deletion_cancel, name="deletion_cancel"),
    path("data/restrict/", views.restriction_request, name="restriction_request"),
    path("data/object/", views.objection_request, name="objection_request"),
    path("data/requests/new/", views.request_new, name="request_new"),
    path("data/requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("data/requests/verify/<signed:token>/", views.request_verify, name="request_verify"),
]
