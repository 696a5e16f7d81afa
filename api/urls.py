from django.urls import path

from api import views
from api.v1 import api

app_name = "api"

urlpatterns = [
    path("account/connected-apps/", views.connected_apps, name="connected_apps"),
    path("account/connected-apps/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("connect/extension/", views.connect_extension, name="connect_extension"),
    path("api/v1/docs/", views.docs, name="docs"),
]

# The API itself keeps its own namespace ("api-v1"); any other path under it is a JSON 404.
api_urlpatterns = [
    path("api/v1/", api.urls),
    path("api/<path:rest>", views.not_found),
]
