from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone

from jobs.channels import CHANNEL_MAX, MANUAL, channel_label, validate_channel
from jobs.posting import (  # noqa: F401  (re-exported: the caps are the contract's)
    BOARD_MAX,
    DESCRIPTION_MAX,
    NOTE_MAX,
    TITLE_MAX,
    URL_MAX,
    salary_errors,
)
from jobs.validators import (
    validate_currency,
    validate_date_in_range,
    validate_time_zone,
    validate_web_url,
)


class Stage(models.TextChoices):
    SAVED = "saved", "Saved"
    APPLIED = "applied", "Applied"
    INTERVIEWING = "interviewing", "Interviewing"
    OFFER = "offer", "Offer"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    NO_REPLY = "no_reply", "No reply"
    GHOSTED = "ghosted", "Ghosted"


class Phase(models.TextChoices):
    """The fixed phases every stage, built in or a person's own, maps to: the funnel, the
    reminders, the CSV and the export read these, whatever the stages are called."""

    SAVED = "saved", "Saved"
    APPLIED = "applied", "Applied"
    INTERVIEWING = "interviewing", "Interviewing"
    OFFER = "offer", "Offer"
    CLOSED_WON = "closed_won", "Closed: won"
    CLOSED_LOST = "closed_lost", "Closed: lost"


# The built-in stages, in board order, with their phases: each person's default stages.
DEFAULT_STAGES = (
    (Stage.SAVED, Phase.SAVED),
    (Stage.APPLIED, Phase.APPLIED),
    (Stage.INTERVIEWING, Phase.INTERVIEWING),
    (Stage.OFFER, Phase.OFFER),
    (Stage.ACCEPTED, Phase.CLOSED_WON),
    (Stage.REJECTED, Phase.CLOSED_LOST),
    (Stage.WITHDRAWN, Phase.CLOSED_LOST),
    (Stage.NO_REPLY, Phase.CLOSED_LOST),
    (Stage.GHOSTED, Phase.CLOSED_LOST),
)
BUILTIN_PHASES = {str(stage): str(phase) for stage, phase in DEFAULT_STAGES}
ACTIVE_PHASES = (Phase.SAVED, Phase.APPLIED, Phase.INTERVIEWING, Phase.OFFER)
STAGE_NAME_MAX = 40
# A stage's key: a built-in Stage value, or the key of a person's own stage.
STAGE_KEY_MAX = 12


ACTIVE_STAGES = (Stage.SAVED, Stage.APPLIED, Stage.INTERVIEWING, Stage.OFFER)
CLOSED_STAGES = (Stage.ACCEPTED, Stage.REJECTED, Stage.WITHDRAWN, Stage.NO_REPLY, Stage.GHOSTED)


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


class AppliedVia(models.TextChoices):
    ONLINE = "online", "Online (form or job board)"
    EMAIL = "email", "By email"
    IN_PERSON = "in_person", "In person"
    POST = "post", "By post"
    PHONE = "phone", "By phone"


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
    # A built-in Stage value, or the key of one of the person's own stages (PersonalStage).
    stage = models.CharField(max_length=12, default=Stage.SAVED)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    applied_on = models.DateField(null=True, blank=True, validators=[validate_date_in_range])
    # How the application went out, for the work-search record.
    applied_via = models.CharField(
        "how you applied", max_length=10, choices=AppliedVia.choices, blank=True
    )
    follow_up_on = models.DateField(
        "follow-up date", null=True, blank=True, validators=[validate_date_in_range]
    )
    # The follow-up date the last reminder email covered, so a follow-up is reminded once.
    follow_up_reminded_on = models.DateField(null=True, blank=True, editable=False)
    archived_at = models.DateTimeField(null=True, blank=True)
    # When the person dismissed the proposal to move this silent application to "Ghosted":
    # it is proposed once.
    ghosting_dismissed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # The person's own tags on this job (see jobs.tags).
    tags = models.ManyToManyField("Tag", through="JobTag", related_name="jobs", blank=True)

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

    def get_stage_display(self) -> str:
        """The stage's name: the person's own (set by the views from one query of their
        stages, see jobs.stages), else the built-in one."""
        return stage_label(self.stage, getattr(self, "stage_names", None))

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


def stage_label(key: str, names: dict | None = None) -> str:
    if names and key in names:
        return names[key]
    if key in Stage.values:
        return Stage(key).label
    return "Own stage" if key else ""


class StageChange(models.Model):
    """A move of a job from one stage to another, kept as the job's dated history."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="stage_changes")
    # Denormalised owner, so one person's history is read (and erased) without a join.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    from_stage = models.CharField(max_length=12, blank=True)
    to_stage = models.CharField(max_length=12)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["job", "changed_at"], name="stagechange_job_at"),
            models.Index(fields=["user", "changed_at"], name="stagechange_user_at"),
        ]

    def __str__(self) -> str:
        return f"Job #{self.job_id}: {self.from_stage or '—'} → {self.to_stage}"

    def get_from_stage_display(self) -> str:
        return stage_label(self.from_stage, getattr(self, "stage_names", None))

    def get_to_stage_display(self) -> str:
        return stage_label(self.to_stage, getattr(self, "stage_names", None))


class JobNote(models.Model):
    """One dated note on a job, written by the person who tracks it. A job's notes are shown
    newest first; they go with the job (and the account)."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="notes")
    # Denormalised owner, so one person's notes are read (and erased) without a join.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=NOTE_MAX)
    written_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["job", "written_at"], name="jobnote_job_written")]
        ordering = ["-written_at", "-pk"]

    def __str__(self) -> str:
        return f"Note #{self.pk} of job #{self.job_id}"


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
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    discreet = models.BooleanField(
        "discreet mode: leave employer names and job titles out of reminders and calendars",
        default=False,
    )

    class Meta:
        verbose_name = "tracker settings"
        verbose_name_plural = "tracker settings"

    def __str__(self) -> str:
        return f"Tracker settings of user #{self.user_id}"


class InterviewKind(models.TextChoices):
    PHONE = "phone", "Phone screen"
    VIDEO = "video", "Video call"
    ONSITE = "onsite", "On-site"
    ASSESSMENT = "assessment", "Assessment"
    OTHER = "other", "Other"


class InterviewOutcome(models.TextChoices):
    UNKNOWN = "", "Not known yet"
    NEXT = "next", "Moved to the next step"
    OFFER = "offer", "Offer"
    NOT_SELECTED = "not_selected", "Not selected"
    WITHDREW = "withdrew", "I withdrew"
    CANCELLED = "cancelled", "Cancelled"


INTERVIEW_TEXT_MAX = 500
INTERVIEW_NOTES_MAX = 5000


class Interview(models.Model):
    """An interview or other dated event of a job. Times are stored in UTC and shown in the
    person's time zone (TrackerSettings.time_zone). A deleted interview stays as a tombstone
    (`cancelled_at`, its text emptied) so calendar feeds can send it as cancelled, and goes
    after RETENTION_INTERVIEW_TOMBSTONE_DAYS."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="interviews")
    # Denormalised owner, so one person's interviews are read (and erased) without a join.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=InterviewKind.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    where = models.CharField(
        "where (an address or a link)", max_length=INTERVIEW_TEXT_MAX, blank=True
    )
    with_whom = models.CharField("with whom", max_length=INTERVIEW_TEXT_MAX, blank=True)
    notes = models.TextField(blank=True, max_length=INTERVIEW_NOTES_MAX)
    outcome = models.CharField(max_length=12, choices=InterviewOutcome.choices, blank=True)
    # RFC 5545 SEQUENCE: raised on every change a calendar should pick up.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["user", "starts_at"], name="interview_user_starts"),
            models.Index(fields=["starts_at"], name="interview_starts"),
            models.Index(fields=["cancelled_at"], name="interview_cancelled"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="interview_ends_after_start",
                violation_error_message="The end must be after the start.",
            ),
        ]
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"Interview #{self.pk} of job #{self.job_id}"

    def clean(self) -> None:
        if (
            self.ends_at is not None
            and self.starts_at is not None
            and self.ends_at <= self.starts_at
        ):
            raise ValidationError({"ends_at": "The end must be after the start."})

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def where_is_link(self) -> bool:
        return self.where.startswith(("https://", "http://"))


class CalendarFeed(models.Model):
    """A private calendar feed (webcal://) of a person's interviews, follow-ups and
    deadlines. Its URL's token is HMAC(SECRET_KEY, `nonce`): the database keeps the nonce and
    the token's SHA-256 (to find the feed), never the token itself, so a copy of the database
    alone opens no feed. Revoking it, or replacing it (a new nonce), stops the old URL at once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=64, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    discreet = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "revoked_at"], name="feed_user_revoked")]

    def __str__(self) -> str:
        return f"Calendar feed #{self.pk} of user #{self.user_id}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class PersonalStage(models.Model):
    """One of a person's stages: a built-in one (its key a Stage value) or their own (key
    "own-<n>"), named, ordered and hidden as they like, each mapped to one Phase. Created
    lazily from DEFAULT_STAGES the first time the person's stages are read."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=12)
    name = models.CharField(max_length=STAGE_NAME_MAX)
    phase = models.CharField(max_length=12, choices=Phase.choices)
    position = models.PositiveSmallIntegerField(default=0)
    hidden = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="personalstage_user_key"),
        ]
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"Stage {self.key} of user #{self.user_id}"

    @property
    def is_builtin(self) -> bool:
        return self.key in Stage.values


CONTACT_TEXT_MAX = 200
CONTACT_NOTES_MAX = 2000


class JobContact(models.Model):
    """Someone at or around a job (a recruiter, a hiring manager): another person's personal
    data, given by the person who tracks the job. Kept only with its job and deleted with it;
    never sent to the AI features; marked as third parties' data in the export."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="contacts")
    # Denormalised owner, so one person's contacts are read (and erased) without a join.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=CONTACT_TEXT_MAX)
    role = models.CharField(max_length=CONTACT_TEXT_MAX, blank=True)
    how_to_reach = models.CharField("how to reach them", max_length=CONTACT_TEXT_MAX, blank=True)
    notes = models.TextField(blank=True, max_length=CONTACT_NOTES_MAX)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["job", "created_at"], name="jobcontact_job_created")]

    def __str__(self) -> str:
        return f"Contact #{self.pk} of job #{self.job_id}"


TAG_NAME_MAX = 40


class Tag(models.Model):
    """A person's own label for jobs ("remote", "referral"): unique per person whatever the
    case. Kept with the account; its links to jobs go with the jobs (JobTag)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=TAG_NAME_MAX)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("name"), "user", name="tag_user_name_ci"),
        ]
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"Tag #{self.pk} of user #{self.user_id}"


class JobTag(models.Model):
    """A tag on a job. Deleted with the job or the tag."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="+")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")
    # Denormalised owner, so one person's links are read (and erased) without a join.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "tag"], name="jobtag_job_tag"),
        ]
        indexes = [models.Index(fields=["user", "tag"], name="jobtag_user_tag")]

    def __str__(self) -> str:
        return f"Tag #{self.tag_id} on job #{self.job_id}"
