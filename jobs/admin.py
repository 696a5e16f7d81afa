"""The tracker in the staff console: counts and states for troubleshooting, never what a
person wrote (titles, notes, descriptions, links). No staff role is granted these views."""

from django.contrib import admin

from jobs.models import (
    CalendarFeed,
    Interview,
    Job,
    JobContact,
    JobNote,
    JobTag,
    PersonalStage,
    StageChange,
    Tag,
    TrackerSettings,
)
from jobtrax.admin import ReadOnlyAdmin


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ("id", "user_id", "stage", "channel", "created_at", "archived_at")
    list_filter = ("stage", "channel", "board", "workplace")
    search_fields = ("=id", "=user__id")
    fields = ("id", "user", "stage", "channel", "board", "workplace", "created_at", "updated_at",
              "stage_changed_at", "archived_at")  # fmt: skip
    readonly_fields = fields
    raw_id_fields = ("user",)
    show_full_result_count = False


@admin.register(StageChange)
class StageChangeAdmin(ReadOnlyAdmin):
    list_display = ("id", "job_id", "user_id", "from_stage", "to_stage", "changed_at")
    list_filter = ("to_stage",)
    search_fields = ("=job__id", "=user__id")
    readonly_fields = ("job", "user", "from_stage", "to_stage", "changed_at")
    raw_id_fields = ("job", "user")
    show_full_result_count = False


@admin.register(TrackerSettings)
class TrackerSettingsAdmin(ReadOnlyAdmin):
    list_display = ("user_id", "reminders_enabled", "last_reminder_on", "last_reminder_status")
    list_filter = ("reminders_enabled", "last_reminder_status")
    search_fields = ("=user__id",)
    readonly_fields = ("user", "reminders_enabled", "last_reminder_on", "last_reminder_status",
                       "last_reminder_claimed_at")  # fmt: skip
    raw_id_fields = ("user",)


@admin.register(Interview)
class InterviewAdmin(ReadOnlyAdmin):
    """Times and states for troubleshooting reminders and the feed; never where, with whom or
    what was noted."""

    list_display = ("id", "job_id", "user_id", "kind", "starts_at", "sequence", "cancelled_at")
    list_filter = ("kind",)
    search_fields = ("=job__id", "=user__id")
    fields = ("id", "job", "user", "kind", "starts_at", "ends_at", "sequence", "reminded_at",
              "cancelled_at", "created_at")  # fmt: skip
    readonly_fields = fields
    raw_id_fields = ("job", "user")
    show_full_result_count = False


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ReadOnlyAdmin):
    """Whether a feed is live and last fetched; never its token or its hash."""

    list_display = ("id", "user_id", "discreet", "created_at", "revoked_at", "last_fetched_at")
    list_filter = ("discreet",)
    search_fields = ("=user__id",)
    fields = ("id", "user", "discreet", "created_at", "revoked_at", "last_fetched_at")
    readonly_fields = fields
    raw_id_fields = ("user",)
    show_full_result_count = False


@admin.register(PersonalStage)
class PersonalStageAdmin(ReadOnlyAdmin):
    """Which phase each stage maps to; the names people give their stages are theirs."""

    list_display = ("id", "user_id", "key", "phase", "position", "hidden")
    list_filter = ("phase", "hidden")
    search_fields = ("=user__id",)
    fields = ("id", "user", "key", "phase", "position", "hidden")
    readonly_fields = fields
    raw_id_fields = ("user",)
    show_full_result_count = False


@admin.register(JobContact)
class JobContactAdmin(ReadOnlyAdmin):
    """Other people's data: staff see only that a contact exists on a job."""

    list_display = ("id", "job_id", "user_id", "created_at")
    search_fields = ("=job__id", "=user__id")
    fields = ("id", "job", "user", "created_at")
    readonly_fields = fields
    raw_id_fields = ("job", "user")
    show_full_result_count = False


@admin.register(Tag)
class TagAdmin(ReadOnlyAdmin):
    """That a person has tags; the words they chose are theirs."""

    list_display = ("id", "user_id", "created_at")
    search_fields = ("=user__id",)
    fields = ("id", "user", "created_at")
    readonly_fields = fields
    raw_id_fields = ("user",)
    show_full_result_count = False


@admin.register(JobTag)
class JobTagAdmin(ReadOnlyAdmin):
    """Which tag (by number) is on which job."""

    list_display = ("id", "job_id", "tag_id", "user_id")
    search_fields = ("=job__id", "=user__id")
    fields = ("id", "job", "tag", "user")
    readonly_fields = fields
    raw_id_fields = ("job", "tag", "user")


@admin.register(JobNote)
class JobNoteAdmin(ReadOnlyAdmin):
    """What a person wrote is theirs: staff see only that a note exists on a job, and when."""

    list_display = ("id", "job_id", "user_id", "written_at", "edited_at")
    search_fields = ("=job__id", "=user__id")
    fields = ("id", "job", "user", "written_at", "edited_at")
    readonly_fields = fields
    raw_id_fields = ("job", "user")
    show_full_result_count = False
