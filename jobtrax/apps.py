from django.apps import AppConfig


class JobtraxConfig(AppConfig):
    name = "jobtrax"
    verbose_name = "JobTrax"

    def ready(self) -> None:
        from jobtrax import checks  # noqa: F401  (registers system checks)
