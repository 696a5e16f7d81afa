from django.conf import settings
from django.db import models


class SecurityEvent(models.Model):
    """A security-relevant event. Holds ids and coarse facts only: never an email address."""

    class Kind(models.TextChoices):
        LOGIN_SUCCEEDED = "login_succeeded", "Login succeeded"
        LOGIN_FAILED = "login_failed", "Login failed"
        THROTTLED = "throttled", "Throttled"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        EMAIL_CHANGED = "email_changed", "Email changed"
        NEW_COUNTRY = "new_country", "Sign-in from a new country"
        EXPORT_REQUESTED = "export_requested", "Export requested"
        EXPORT_DOWNLOADED = "export_downloaded", "Export downloaded"
        DELETION_REQUESTED = "deletion_requested", "Deletion requested"
        DELETION_DONE = "deletion_done", "Deletion done"
        STAFF_ACTION = "staff_action", "Staff action on personal data"

    created_at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ip = models.GenericIPAddressField(null=True, blank=True)
    country = models.CharField(max_length=2, blank=True)
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.created_at:%Y-%m-%d %H:%M}"
