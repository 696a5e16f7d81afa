from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Job tracker"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jobs import panels, personal_data  # noqa: F401 - declares the app's personal data

        panels.register()
