from django.urls import path

from jobtrax.assistant import views

app_name = "assistant"

urlpatterns = [
    path("assistant/", views.assistant, name="assistant"),
]
