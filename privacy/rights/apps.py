from django.apps import AppConfig


class RightsConfig(AppConfig):
    """Data-subject rights: the part of the privacy app that has its own tables."""

    name = "privacy.rights"
    label = "rights"
    verbose_name = "Data-subject rights"

    def ready(self) -> None:
        from privacy.rights import personal_data  # noqa: F401 - declares the app's personal data
