from django.urls import path

from consent import views

app_name = "consent"

urlpatterns = [
    path("privacy/choices/", views.choices, name="choices"),
    path("privacy/choices/decide/", views.decide, name="decide"),
    path("privacy/choices/gpc/", views.gpc_from_script, name="gpc"),
    path(".well-known/gpc.json", views.gpc_json, name="gpc_json"),
    path("privacy/unsubscribe/<signed:token>/", views.unsubscribe, name="unsubscribe"),
]
