from django.apps import AppConfig


class LogsRetentionConfig(AppConfig):
    name = "logs_retention"
    verbose_name = "Logs and retention"

    def ready(self) -> None:
        from logs_retention import personal_data, signals  # noqa: F401 - declarations, receivers
