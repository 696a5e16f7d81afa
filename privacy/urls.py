from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.notice, name="notice"),
    path("privacy/versions/", views.versions, name="versions"),
    path("privacy/versions/<notice_number:number>/", views.version, name="version"),
    path("privacy/compare/<notice_number:old>/<notice_number:new>/", views.compare, name="compare"),
    path("privacy/processors/", views.processors, name="processors"),
    path("privacy/acknowledge/", views.acknowledge, name="acknowledge"),
]
