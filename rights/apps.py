from django.apps import AppConfig


class RightsConfig(AppConfig):
    """Data-subject rights: requests, exports, erasure, restriction, objection and their audit.

    Its own app above consent (the notice, `privacy`, sits below consent); its label and
    tables are the ones it had as `privacy.rights`, so an upgrade migrates nothing."""

    name = "rights"
    label = "rights"
    verbose_name = "Data-subject rights"

    def ready(self) -> None:
        from rights import personal_data  # noqa: F401 - declares the app's personal data
