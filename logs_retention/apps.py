from django.apps import AppConfig


class LogsRetentionConfig(AppConfig):
    name = "logs_retention"
    verbose_name = "Logs and retention"
