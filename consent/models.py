from django.conf import settings
from django.db import models
from django.utils import timezone


class Method(models.TextChoices):
    ACCEPT_ALL = "accept-all", "Accept all"
    REJECT_ALL = "reject-all", "Reject all"
    CUSTOM = "custom", "Chosen category by category"
    GPC = "gpc", "Global Privacy Control signal"
    GPC_OVERRIDE = "gpc-override", "Explicit override of Global Privacy Control"
    SETTINGS = "settings", "Changed in settings"
    SIGNUP = "signup", "Given at signup"
    UNSUBSCRIBE = "unsubscribe", "Unsubscribe link"
    WITHDRAWAL = "withdrawal", "Withdrawal of all consent"


class ConsentRecord(models.Model):
    """One consent decision, kept as proof. Rows are appended, never edited.

    The only change ever made to a row is detaching it from an erased account
    (consent.services.consent_detach_account); the retention jobs delete old rows.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consent_records",
    )
    # A random id from a strictly necessary signed cookie: the subject for visitors.
    browser_id = models.CharField(max_length=32, blank=True, db_index=True)
    analytics = models.BooleanField()
    marketing = models.BooleanField()
    gpc = models.BooleanField("GPC signal present", default=False)
    gpc_override = models.BooleanField("GPC explicitly overridden", default=False)
    method = models.CharField(max_length=16, choices=Method.choices)
    config_version = models.CharField(max_length=32)
    notice_version = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    ip_truncated = models.GenericIPAddressField("IP address (truncated)", null=True, blank=True)
    browser_family = models.CharField(max_length=64, blank=True)
    path = models.CharField(max_length=200, blank=True)
    # For unsubscribe records: the one-time id of the link used, so a replay is recognised.
    reference = models.CharField(max_length=32, blank=True)
    account_closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="consent_user_latest")]

    def __str__(self) -> str:
        subject = f"user #{self.user_id}" if self.user_id else "visitor"
        return f"{self.get_method_display()} by {subject} at {self.created_at:%Y-%m-%d %H:%M}"


class MarketingCampaign(models.Model):
    """A news email that staff send to every user with current marketing consent."""

    subject = models.CharField(max_length=150)
    body = models.TextField(help_text="Plain text. An unsubscribe link is added to every email.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    sent_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject


class CampaignDelivery(models.Model):
    """That a campaign went to a user: makes a retried batch skip who already got it."""

    campaign = models.ForeignKey(
        MarketingCampaign, on_delete=models.CASCADE, related_name="deliveries"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="campaign_deliveries"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "campaign delivery"
        verbose_name_plural = "campaign deliveries"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "user"], name="campaign_delivery_once")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} to user #{self.user_id}"
