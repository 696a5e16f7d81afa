from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from jobs.channels import CHANNEL_MAX, MANUAL, channel_label, validate_channel
from jobs.posting import (  # noqa: F401  (re-exported: the caps are the contract's)
    BOARD_MAX,
    DESCRIPTION_MAX,
    NOTES_MAX,
    TITLE_MAX,
    URL_MAX,
    salary_errors,
)
from jobs.validators import validate_currency, validate_date_in_range, validate_web_url


class Stage(models.TextChoices):
    SAVED = "saved", "Saved"
    APPLIED = "applied", "Applied"
    INTERVIEWING = "interviewing", "Interviewing"
    OFFER = "offer", "Offer"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    NO_REPLY = "no_reply", "No reply"


ACTIVE_STAGES = (Stage.SAVED, Stage.APPLIED, Stage.INTERVIEWING, Stage.OFFER)
CLOSED_STAGES = (Stage.ACCEPTED, Stage.REJECTED, Stage.WITHDRAWN, Stage.NO_REPLY)


class Workplace(models.TextChoices):
    ONSITE = "onsite", "On-site"
    HYBRID = "hybrid", "Hybrid"
    REMOTE = "remote", "Remote"
    UNKNOWN = "unknown", "Unknown"


class EmploymentType(models.TextChoices):
    FULL_TIME = "full_time", "Full-time"
    PART_TIME = "part_time", "Part-time"
    CONTRACT = "contract", "Contract"
    TEMPORARY = "temporary", "Temporary"
    INTERNSHIP = "internship", "Internship"
    VOLUNTEER = "volunteer", "Volunteer"
    PER_DIEM = "per_diem", "Per diem"
    OTHER = "other", "Other"


class Interval(models.TextChoices):
    HOUR = "hour", "per hour"
    DAY = "day", "per day"
    WEEK = "week", "per week"
    MONTH = "month", "per month"
    YEAR = "year", "per year"


class Job(models.Model):
    """One posting a person tracks. What the posting says, where it came from, and what the
    person does with it. The location is the job's, as posted, never the person's."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # What the posting says.
    title = models.CharField(max_length=TITLE_MAX)
    company = models.CharField(max_length=TITLE_MAX, blank=True)
    location = models.CharField("location (as posted)", max_length=TITLE_MAX, blank=True)
    workplace = models.CharField(max_length=8, choices=Workplace.choices, default=Workplace.UNKNOWN)
    employment_type = models.CharField(max_length=12, choices=EmploymentType.choices, blank=True)
    salary_min = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    salary_max = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    salary_currency = models.CharField(max_length=3, blank=True, validators=[validate_currency])
    salary_interval = models.CharField(max_length=5, choices=Interval.choices, blank=True)
    # Sanitised HTML (see jobs.sanitize), at most DESCRIPTION_MAX characters.
    description = models.TextField(blank=True, max_length=DESCRIPTION_MAX)
    url = models.URLField(
        "posting URL", max_length=URL_MAX, blank=True, validators=[validate_web_url]
    )
    apply_url = models.URLField(
        "apply URL", max_length=URL_MAX, blank=True, validators=[validate_web_url]
    )
    date_posted = models.DateField(null=True, blank=True, validators=[validate_date_in_range])
    valid_through = models.DateField(
        "deadline", null=True, blank=True, validators=[validate_date_in_range]
    )
    # Where it came from: how it came in (see jobs.channels), and the board it was read from
    # with the board's own id ("greenhouse", "4012345"). The URL key and the board's id find
    # duplicates. Both are plain strings: a new channel or board needs no migration.
    channel = models.CharField(
        max_length=CHANNEL_MAX, default=MANUAL, validators=[validate_channel]
    )
    board = models.CharField(max_length=BOARD_MAX, blank=True)
    board_id = models.CharField(max_length=200, blank=True)
    url_key = models.CharField(max_length=64, blank=True, editable=False)
    # What the person does with it.
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.SAVED)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    applied_on = models.DateField(null=True, blank=True, validators=[validate_date_in_range])
    follow_up_on = models.DateField(
        "follow-up date", null=True, blank=True, validators=[validate_date_in_range]
    )
    # The follow-up date the last reminder email covered, so a follow-up is reminded once.
    follow_up_reminded_on = models.DateField(null=True, blank=True, editable=False)
    notes = models.TextField(blank=True, max_length=NOTES_MAX)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # The board and the list: one person's jobs, live or archived, newest first.
            models.Index(
                fields=["user", "archived_at", "-updated_at"], name="job_user_archived_updated"
            ),
            models.Index(fields=["user", "url_key"], name="job_user_url_key"),
            models.Index(fields=["user", "board", "board_id"], name="job_user_board_id"),
            # The reminder run: follow-ups due on a day, across accounts.
            models.Index(fields=["follow_up_on"], name="job_follow_up_on"),
            # The retention policy: archived jobs by archiving time.
            models.Index(fields=["archived_at"], name="job_archived_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True) | Q(salary_min__gte=0),
                name="job_salary_min_not_negative",
                violation_error_message="A salary cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True)
                | Q(salary_max__isnull=True)
                | Q(salary_max__gte=F("salary_min")),
                name="job_salary_range_ordered",
                violation_error_message="The maximum salary cannot be lower than the minimum.",
            ),
        ]

    def __str__(self) -> str:
        return f"Job #{self.pk}"

    def clean(self) -> None:
        errors = salary_errors(self.salary_min, self.salary_max)
        if errors:
            raise ValidationError(errors)

    @property
    def channel_display(self) -> str:
        return channel_label(self.channel)

    @property
    def is_active(self) -> bool:
        return self.stage in ACTIVE_STAGES

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def days_in_stage(self, today: date | None = None) -> int:
        today = today or timezone.localdate()
        return max(0, (today - timezone.localdate(self.stage_changed_at)).days)

    def follow_up_due(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.follow_up_on is not None and self.follow_up_on <= today

    def deadline_due(self, today: date | None = None, within_days: int = 3) -> bool:
        today = today or timezone.localdate()
        return (
            self.valid_through is not None
            and self.stage == Stage.SAVED
            and (self.valid_through - today).days <= within_days
        )

    @property
    def salary_display(self) -> str:
        return salary_text(
            self.salary_min, self.salary_max, self.salary_currency, self.salary_interval
        )


_INTERVAL_LABELS = dict(Interval.choices)


def _amount(value) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


def salary_text(low, high, currency: str = "", interval: str = "") -> str:
    """ "60,000–70,000 EUR per year", from whichever of the two amounts are known."""
    values = [v for v in (low, high) if v is not None]
    if not values:
        return ""
    low_text, high_text = _amount(min(values)), _amount(max(values))
    parts = [low_text if low_text == high_text else f"{low_text}–{high_text}"]
    if currency:
        parts.append(currency)
    if interval:
        parts.append(_INTERVAL_LABELS.get(interval, ""))
    return " ".join(parts)


class StageChange(models.Model):
    """A move of a job from one stage to another, kept as the job's dated history."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="stage_changes")
    # Denormalised owner, so one person's history is read (and erased) without a join.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    from_stage = models.CharField(max_length=12, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=12, choices=Stage.choices)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["job", "changed_at"], name="stagechange_job_at"),
            models.Index(fields=["user", "changed_at"], name="stagechange_user_at"),
        ]

    def __str__(self) -> str:
        return f"Job #{self.job_id}: {self.from_stage or '—'} → {self.to_stage}"


class TrackerSettings(models.Model):
    """A person's tracker preferences, and the day of their last follow-up reminder email
    (claimed before sending, so a reminder is never sent twice or twice a day)."""

    class ReminderStatus(models.TextChoices):
        CLAIMED = "claimed", "Claimed, not confirmed sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (not retried)"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    reminders_enabled = models.BooleanField("email me on follow-up days", default=True)
    last_reminder_on = models.DateField(null=True, blank=True)
    last_reminder_status = models.CharField(
        max_length=8, choices=ReminderStatus.choices, blank=True
    )
    last_reminder_claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "tracker settings"
        verbose_name_plural = "tracker settings"

    def __str__(self) -> str:
        return f"Tracker settings of user #{self.user_id}"
