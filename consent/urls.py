from django.urls import path

from consent import views

app_name = "consent"

urlpatterns = [
    path("privacy/choices/", views.choices, name="choices"),
]
