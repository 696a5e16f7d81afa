"""Tables of the data-subject rights: requests, exports, deletion receipts, holds and the audit."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class DataSubjectRequest(models.Model):
    """One request to exercise a right, self-service or received by staff. Deadlines are computed
    by `rights.deadlines` through the services, never typed."""

    class Kind(models.TextChoices):
        ACCESS = "access", "Access"
        EXPORT = "export", "Export (portability)"
        CORRECTION = "correction", "Correction"
        DELETION = "deletion", "Deletion"
        RESTRICTION = "restriction", "Restriction"
        OBJECTION = "objection", "Objection"

    class Channel(models.TextChoices):
        SELF_SERVICE = "self_service", "Self-service (signed in)"
        EMAIL = "email", "Email"
        POST = "post", "Post"
        OTHER = "other", "Other"

    class Regime(models.TextChoices):
        GDPR = "gdpr", "GDPR"
        CCPA = "ccpa", "CCPA"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        IDENTITY_PENDING = "identity_pending", "Identity pending"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"
        DENIED = "denied", "Denied"
        CANCELLED = "cancelled", "Cancelled"

    OPEN_STATUSES = (Status.RECEIVED, Status.IDENTITY_PENDING, Status.IN_PROGRESS)

    kind = models.CharField(max_length=16, choices=Kind.choices)
    # The subject's address as the request arrived; emptied when the account is erased.
    subject_email = models.EmailField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rights_requests",
    )
    channel = models.CharField(max_length=16, choices=Channel.choices)
    regime = models.CharField(max_length=8, choices=Regime.choices, default=Regime.GDPR)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    details = models.TextField(blank=True, help_text="What the subject asked for, in their words.")
    received_at = models.DateTimeField(default=timezone.now)
    due_on = models.DateField(editable=False)
    # Months (GDPR) or days (CCPA) added to the first deadline, with the reason sent to the subject.
    extension = models.PositiveSmallIntegerField(default=0, editable=False)
    extended_at = models.DateTimeField(null=True, blank=True, editable=False)
    extension_reason = models.TextField(blank=True, editable=False)
    acknowledge_by = models.DateField(null=True, blank=True, editable=False)
    acknowledged_at = models.DateTimeField(null=True, blank=True, editable=False)
    verified_at = models.DateTimeField(null=True, blank=True, editable=False)
    verification_method = models.CharField(max_length=16, blank=True, editable=False)
    code_hash = models.CharField(max_length=128, blank=True, editable=False)
    code_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    code_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    denial_reason = models.TextField(blank=True, editable=False)
    completed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Deletion only: when the account will be erased (after the grace period, or at once).
    erase_after = models.DateTimeField(null=True, blank=True, editable=False)
    reported_minor = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"])]
        permissions = [
            ("verify_request", "Can verify the identity of a request's subject"),
            ("run_export", "Can run an export for a verified request"),
            ("run_erasure", "Can run an erasure for a verified request"),
            ("mark_minor", "Can mark an account as a reported minor"),
            ("place_legal_hold", "Can place or lift a legal hold"),
            ("lift_restriction", "Can lift a restriction of processing"),
            ("restrict_processing", "Can restrict processing for a verified request"),
            ("record_objection", "Can record an objection for a verified request"),
            ("correct_email", "Can start an email correction for a verified request"),
            ("lift_objection", "Can lift an objection on compelling legitimate grounds"),
            ("extend_deadline", "Can extend a request's deadline"),
        ]

    def __str__(self) -> str:
        return f"Request #{self.pk} ({self.get_kind_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    def days_left(self, today: date | None = None) -> int:
        return (self.due_on - (today or timezone.localdate())).days


class DataExport(models.Model):
    """A zip of everything stored about one account, downloadable by its owner for a while."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a worker"
        RUNNING = "running", "Being built"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Expired and deleted"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    request = models.ForeignKey(
        DataSubjectRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    file = models.FileField(upload_to="exports/", blank=True)
    size = models.PositiveBigIntegerField(default=0)
    downloaded_at = models.DateTimeField(null=True, blank=True)
    # The last sign of life of the build (claimed, or a part written); a beat job restarts an
    # export that shows none for RIGHTS_EXPORT_STALL_MINUTES. Each claim by a worker counts.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Export #{self.pk}"

    @property
    def is_stalled(self) -> bool:
        """Waiting or being built, with no sign of life for too long: its worker died."""
        if self.status not in (self.Status.PENDING, self.Status.RUNNING):
            return False
        seen = self.heartbeat_at or self.created_at
        return seen < timezone.now() - timedelta(minutes=settings.RIGHTS_EXPORT_STALL_MINUTES)

    @property
    def is_downloadable(self) -> bool:
        return (
            self.status == self.Status.READY
            and bool(self.file)
            and self.expires_at is not None
            and self.expires_at > timezone.now()
        )


class DeletionReceipt(models.Model):
    """Proof that an account was erased. No direct identifier: a keyed hash of the email only."""

    request_id_ref = models.PositiveBigIntegerField(null=True, blank=True, unique=True)
    reason = models.CharField(max_length=32)
    requested_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField()
    email_hmac = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Deletion receipt #{self.pk}"


class LegalHold(models.Model):
    """While a hold is active the account is not erased, whoever asks."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="legal_holds"
    )
    request = models.ForeignKey(
        DataSubjectRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="holds"
    )
    reason = models.TextField()
    placed_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-placed_at"]

    def __str__(self) -> str:
        return f"Legal hold #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class AuditRecord(models.Model):
    """A staff action on personal data: who, what, when, which request. Never an email address."""

    class Action(models.TextChoices):
        VIEWED_DATA = "viewed_data", "Viewed a user's data"
        SENT_CODE = "sent_code", "Sent a verification code"
        VERIFIED = "verified", "Verified the subject's identity"
        RAN_EXPORT = "ran_export", "Ran an export"
        ERASED = "erased", "Ran an erasure"
        PLACED_HOLD = "placed_hold", "Placed a legal hold"
        LIFTED_HOLD = "lifted_hold", "Lifted a legal hold"
        LIFTED_RESTRICTION = "lifted_restriction", "Lifted a restriction"
        RESTRICTED = "restricted", "Restricted processing"
        RECORDED_OBJECTION = "recorded_objection", "Recorded an objection"
        LIFTED_OBJECTION = "lifted_objection", "Lifted an objection (compelling grounds)"
        STARTED_EMAIL_CORRECTION = "started_email_correction", "Started an email correction"
        MARKED_MINOR = "marked_minor", "Marked a reported minor"
        EXTENDED = "extended", "Extended a deadline"
        ACKNOWLEDGED = "acknowledged", "Acknowledged a request"
        DENIED = "denied", "Denied a request"
        COMPLETED = "completed", "Completed a request"
        OPENED_REQUEST = "opened_request", "Opened a request from a support message"

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=32, choices=Action.choices)
    target_user_id = models.PositiveBigIntegerField(null=True, blank=True)
    request = models.ForeignKey(
        DataSubjectRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit"
    )
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} at {self.created_at:%Y-%m-%d %H:%M}"
