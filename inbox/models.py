"""A person's forwarding address, and what JobTrax proposes after reading a forwarded email.

The email itself is never stored: a proposal keeps the job it matched, the stage it proposes,
the original email's date, the sender's domain and a snippet of at most SNIPPET_MAX characters.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

SNIPPET_MAX = 300


class ForwardingAddress(models.Model):
    """`<local_part>@<INBOUND_EMAIL_DOMAIN>`: only this account's verified addresses may send."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    local_part = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Messages received today (UTC), for the daily limit; a count, nothing of the messages.
    day = models.DateField(null=True, blank=True)
    received_today = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "forwarding address"

    def __str__(self) -> str:
        return f"Forwarding address of user #{self.user_id}"

    @property
    def address(self) -> str:
        return f"{self.local_part}@{settings.INBOUND_EMAIL_DOMAIN}"


class Kind(models.TextChoices):
    CONFIRMATION = "confirmation", "Application received"
    REJECTION = "rejection", "Rejection"
    INTERVIEW = "interview", "Interview invitation"
    OFFER = "offer", "Offer"
    ASSESSMENT = "assessment", "Assessment request"
    ALERT = "alert", "Job alert or posting"


class Proposal(models.Model):
    """A change JobTrax proposes after reading an email; nothing moves until the person
    confirms it. Unconfirmed proposals expire (policy `email_proposals`); a confirmed one
    becomes the job's stage history and is deleted with its snippet, a dismissed one too."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    job = models.ForeignKey(
        "jobs.Job", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    proposed_stage = models.CharField(max_length=12, blank=True)
    # The original email's date (of the forwarded message, not of the forward).
    email_date = models.DateTimeField(null=True, blank=True)
    sender_domain = models.CharField(max_length=255, blank=True)
    # What the email seemed to be about, to create or pick the job when nothing matched.
    company = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)
    snippet = models.CharField(max_length=SNIPPET_MAX, blank=True)
    # A plainly stated interview time, proposed with an invitation.
    interview_at = models.DateTimeField(null=True, blank=True)
    # For a job alert: the import preview holding the candidate postings.
    preview_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "created_at"], name="proposal_user_created")]

    def __str__(self) -> str:
        return f"Proposal #{self.pk} ({self.kind})"


class InboundCount(models.Model):
    """How many inbound emails were delivered or dropped, per day and reason. No address, no
    account: counts only."""

    day = models.DateField()
    reason = models.CharField(max_length=32)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "reason"], name="inboundcount_day_reason")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.reason}: {self.count}"
