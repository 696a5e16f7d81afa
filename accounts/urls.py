from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("accounts/deletion-pending/", views.deletion_choice, name="deletion_choice"),
]
