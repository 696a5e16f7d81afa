from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API and connected apps"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from api import panels, personal_data  # noqa: F401 - declares the app's personal data

        panels.register()
