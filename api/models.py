from django.conf import settings
from django.db import models
from django.utils import timezone

SCOPES = {
    "jobs:read": "Read your jobs, their stages, notes and reminders",
    "jobs:write": "Add, change, move and delete jobs",
    "import": "Import job postings (from a link, a page or what the extension captured)",
}
# The extension's token: it imports, and reads a job's stage to say "already tracked".
EXTENSION_SCOPES = ("import", "jobs:read")


class ApiToken(models.Model):
    """A personal access token. Only the SHA-256 of its secret is kept; the secret is shown
    once. `prefix` (the secret's first characters) lets a person tell tokens apart."""

    class Client(models.TextChoices):
        PERSONAL = "personal", "Personal access token"
        EXTENSION = "extension", "Browser extension"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=80)
    client = models.CharField(max_length=12, choices=Client.choices, default=Client.PERSONAL)
    prefix = models.CharField(max_length=12)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    # A date, not a time: enough to tell a token in use from a forgotten one.
    last_used_on = models.DateField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "created_at"], name="apitoken_user_created"),
            models.Index(fields=["expires_at"], name="apitoken_expires_at"),
            models.Index(fields=["revoked_at"], name="apitoken_revoked_at"),
        ]

    def __str__(self) -> str:
        return f"API token #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes
