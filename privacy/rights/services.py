"""Data-subject rights. Every write with side effects has one function here."""

from django.contrib.auth.base_user import AbstractBaseUser


def processing_restricted(user: AbstractBaseUser | None) -> bool:
    """The one place that decides whether a user's processing is restricted.

    Analytics, marketing, location inference and the AI features all ask this.
    """
    if user is None or not getattr(user, "pk", None):
        return False
    return getattr(user, "processing_restricted_at", None) is not None
