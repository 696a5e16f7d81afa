from django.apps import AppConfig


class JobtraxConfig(AppConfig):
    name = "jobtrax"
    verbose_name = "JobTrax"

    def ready(self) -> None:
        from jobtrax import checks, converters  # noqa: F401  (checks registers system checks)

        converters.register()
