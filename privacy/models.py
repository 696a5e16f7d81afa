import re

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

NUMBER_RE = re.compile(r"^\d{1,4}\.\d{1,4}$")


def version_key(number: str) -> tuple[int, int]:
    """Order "1.10" after "1.9". Only call it on a number that matches NUMBER_RE."""
    major, minor = number.split(".")
    return int(major), int(minor)


class NoticeVersion(models.Model):
    """One version of the privacy notice. Published versions never change: publish a new one.

    Write through privacy.services (notice_draft_save, notice_publish), which enforce that.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    number = models.CharField(
        max_length=9,
        unique=True,
        validators=[RegexValidator(NUMBER_RE, "Use a number like 1.0 or 2.3.")],
        help_text="Like 1.0 or 2.3. Each published version must be higher than the last.",
    )
    effective_date = models.DateField(
        "last updated",
        default=timezone.localdate,
        help_text='Shown as "Last updated". It cannot be later than the day you publish.',
    )
    body = models.TextField(
        help_text="Markdown. Figures come from placeholders such as "
        "{{ retention.request_logs_anonymise }} or {{ contact.privacy_email }}."
    )
    change_summary = models.CharField(
        max_length=500, help_text="What changed, in a sentence or two. Users see it."
    )
    material = models.BooleanField(
        default=False,
        help_text="A material change shows a banner to every signed-in user and emails every "
        "verified user. A minor one only updates the notice and the archive.",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        permissions = [("publish_noticeversion", "Can publish a privacy notice version")]
        indexes = [models.Index(fields=["status", "published_at"])]

    def __str__(self) -> str:
        return f"Privacy notice {self.number}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class NoticeAcknowledgement(models.Model):
    """A signed-in user acknowledged a material change through the in-app banner."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_acknowledgements"
    )
    version = models.ForeignKey(NoticeVersion, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "version"], name="notice_ack_once_per_version")
        ]

    def __str__(self) -> str:
        return f"User #{self.user_id} acknowledged notice #{self.version_id}"


class NoticeSignup(models.Model):
    """Which notice version a user was shown when they created their account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_signup"
    )
    version = models.ForeignKey(NoticeVersion, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"User #{self.user_id} signed up under notice #{self.version_id}"


class NoticeDelivery(models.Model):
    """The email about one material version, to one user.

    The row is claimed (inserted) before the message is sent, and the unique constraint makes
    the claim exclusive, so a resumed or concurrent mailing never emails anyone twice. A row
    left CLAIMED means the send was interrupted: it is not retried, because the message may
    have gone out.
    """

    class Status(models.TextChoices):
        CLAIMED = "claimed", "Claimed, not confirmed sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    version = models.ForeignKey(NoticeVersion, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_deliveries"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CLAIMED)
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-claimed_at"]
        verbose_name_plural = "notice deliveries"
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="notice_email_once_per_user")
        ]
        indexes = [models.Index(fields=["version", "claimed_at"])]

    def __str__(self) -> str:
        return f"Notice #{self.version_id} email to user #{self.user_id}: {self.status}"
