from django.apps import AppConfig


class ImporterConfig(AppConfig):
    name = "importer"
    verbose_name = "Job importer"

    def ready(self) -> None:
        from importer import personal_data  # noqa: F401 - declares the app's personal data
