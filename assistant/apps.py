from django.apps import AppConfig


class AssistantConfig(AppConfig):
    """The optional writing assistant (notice section 16). It stores nothing."""

    name = "assistant"
    verbose_name = "Writing assistant"
