from django.urls import path

from importer import views

app_name = "importer"

urlpatterns = [
    path("jobs/import/fetcher/", views.fetcher, name="fetcher"),
]
