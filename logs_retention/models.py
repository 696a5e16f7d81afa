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


class RequestLog(models.Model):
    """One served request. Route names only, never paths or query strings; no raw User-Agent.

    After the first retention window the row is anonymised: the user and the full address go,
    the /24 (IPv4) or /48 (IPv6) network stays, so aggregates still count it.
    """

    class Device(models.TextChoices):
        DESKTOP = "desktop", "Desktop"
        MOBILE = "mobile", "Mobile"
        TABLET = "tablet", "Tablet"
        BOT = "bot", "Bot"
        OTHER = "other", "Other"

    created_at = models.DateTimeField(db_index=True)
    method = models.CharField(max_length=8)
    route = models.CharField(max_length=100, blank=True)
    status = models.PositiveSmallIntegerField()
    duration_ms = models.PositiveIntegerField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ip = models.GenericIPAddressField(null=True, blank=True)
    ip_network = models.GenericIPAddressField(null=True, blank=True)
    browser_family = models.CharField(max_length=50, blank=True)
    browser_major = models.CharField(max_length=10, blank=True)
    os_family = models.CharField(max_length=50, blank=True)
    device_type = models.CharField(max_length=8, choices=Device.choices, default=Device.OTHER)
    anonymised = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["anonymised", "created_at"])]

    def __str__(self) -> str:
        when = f"{self.created_at:%Y-%m-%d %H:%M:%S}"
        return f"{self.method} {self.route or '-'} {self.status} at {when}"


class LogCounter(models.Model):
    """Operational counters ops can read in the admin, e.g. request-log entries dropped."""

    DROPPED_REQUEST_LOGS = "request_logs_dropped"

    name = models.CharField(max_length=64, unique=True)
    value = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} = {self.value}"


class RetentionRun(models.Model):
    """One run of one retention policy: what it cut at, what it changed, how it ended."""

    class Outcome(models.TextChoices):
        RUNNING = "running", "Running (or killed)"
        DONE = "done", "Done"
        SKIPPED = "skipped", "Skipped"
        FAILED = "failed", "Failed"

    policy = models.CharField(max_length=64, db_index=True)
    cutoff = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.RUNNING)
    batches = models.PositiveIntegerField(default=0)
    rows_anonymised = models.PositiveBigIntegerField(default=0)
    rows_deleted = models.PositiveBigIntegerField(default=0)
    note = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        permissions = [("run_retention", "Can start a retention run")]

    def __str__(self) -> str:
        return f"{self.policy} at {self.started_at:%Y-%m-%d %H:%M} ({self.outcome})"


class RetentionLease(models.Model):
    """The database lock of a policy when there is no Redis: one row, held until it expires."""

    policy = models.CharField(max_length=64, unique=True)
    holder = models.CharField(max_length=64, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.policy} held by {self.holder or 'nobody'}"


class InactivityWarning(models.Model):
    """The warning email sent before an inactive account is erased; a later login voids it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"warning to user {self.user_id} at {self.sent_at:%Y-%m-%d}"
