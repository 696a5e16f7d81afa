from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "inbox"
    verbose_name = "Forwarded emails"

    def ready(self) -> None:
        from inbox import (
            panels,
            personal_data,  # noqa: F401 - declares the app's personal data
            webhooks,  # noqa: F401 - connects the inbound webhook's signal
        )

        panels.register()
