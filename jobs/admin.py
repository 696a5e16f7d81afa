"""The tracker in the staff console: counts and states for troubleshooting, never what a
person wrote (titles, notes, descriptions, links). No staff role is granted these views."""

from django.contrib import admin

from jobs.models import Job, StageChange, TrackerSettings
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
