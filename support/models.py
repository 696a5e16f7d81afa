"""Messages sent through the contact form, and what staff did with them.

A reply is recorded as sent (how many, and when), never its text: the email itself is the
record the person keeps, and a copy here would be one more place their words live.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

MESSAGE_MAX_LENGTH = 5000


class SupportMessage(models.Model):
    class Topic(models.TextChoices):
        SUPPORT = "support", "Help using JobTrax"
        PRIVACY = "privacy", "Privacy and your data"
        SALES = "sales", "Sales"
        FEEDBACK = "feedback", "Feedback"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ANSWERED = "answered", "Answered"
        CLOSED = "closed", "Closed"

    topic = models.CharField(max_length=16, choices=Topic.choices)
    # Where the reply goes. For a signed-in sender it starts as their account's address.
    email = models.EmailField("reply-to email")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="support_messages",
    )
    message = models.TextField(max_length=MESSAGE_MAX_LENGTH)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    replies_sent = models.PositiveSmallIntegerField(default=0)
    last_reply_at = models.DateTimeField(null=True, blank=True)
    # The data-subject request this message became, if it was one.
    request = models.ForeignKey(
        "rights.DataSubjectRequest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_messages",
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]
        permissions = [
            ("reply_supportmessage", "Can reply to and close support messages"),
            ("handle_privacy_message", "Can read and handle messages about privacy"),
        ]

    def __str__(self) -> str:
        return f"Support message #{self.pk}"

    @property
    def is_privacy(self) -> bool:
        return self.topic == self.Topic.PRIVACY
