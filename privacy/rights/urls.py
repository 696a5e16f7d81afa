from django.urls import path

from privacy.rights import views

app_name = "rights"

urlpatterns = [
    path("data/", views.your_data, name="your_data"),
]
