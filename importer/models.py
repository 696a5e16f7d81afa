import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class ImportPreview(models.Model):
    """What an import found, waiting for its owner to confirm one posting as a job.

    It holds the extracted postings (sanitised) and, until the fetch has run, the link to fetch;
    nothing else about the fetch. Confirming or discarding deletes it, and the
    `import_previews` retention policy deletes the unconfirmed ones within a day.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Reading the posting"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    class Method(models.TextChoices):
        LINK = "link", "A link"
        PASTE = "paste", "A pasted page or text"
        BOOKMARKLET = "bookmarklet", "The bookmarklet"
        EMAIL = "email", "A forwarded email"
        SHARE = "share", "Shared from a phone"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_previews"
    )
    method = models.CharField(max_length=12, choices=Method.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    # The link to fetch, kept only until the fetch has run.
    link = models.TextField(blank=True)
    # Posting.as_json() of each posting found, sanitised by the extractor.
    postings = models.JSONField(default=list, blank=True)
    error = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import preview {self.pk} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class PendingCapture(models.Model):
    """What the bookmarklet sent while its sender was signed out, waiting for them to sign in.

    Only the random token in the sender's session leads to it. It belongs to no account until
    the sender signs in (then it becomes an ImportPreview and is deleted), and the
    `pending_captures` retention policy deletes it an hour after it was made.
    """

    token = models.CharField(max_length=64, primary_key=True)
    payload = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Capture waiting since {self.created_at:%Y-%m-%d %H:%M}"
