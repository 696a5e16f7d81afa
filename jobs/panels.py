"""The tracker's panels on pages of lower apps (jobtrax.panels): the reminder settings on the
profile, and the tracker's lines on "Your data"."""

from django.db.models import Count, F, Min, Q, QuerySet
from django.template.loader import render_to_string

from jobs.forms import ReminderSettingsForm
from jobs.models import CalendarFeed, Interview, Job, JobNote, StageChange, Tag
from jobs.reminders import tracker_settings_for
from jobs.retention import archived_window
from jobtrax.datamap import humanize_window
from jobtrax.panels import register_panel


def reminder_settings_panel(context, **kwargs) -> str:
    request = context["request"]
    settings = tracker_settings_for(request.user)
    form = ReminderSettingsForm(initial={"reminders_enabled": settings.reminders_enabled})
    return render_to_string(
        "jobs/_reminder_settings.html",
        {"reminder_form": form, "csrf_token": context.get("csrf_token")},
        request=request,
    )


def tracker_data_panel(context, *, subject, staff_view: bool = False, **kwargs) -> str:
    """The tracker's lines on the "Your data" page: what is kept, and when archived jobs go."""
    stats = Job.objects.filter(user=subject).aggregate(
        total=Count("pk"),
        archived=Count("pk", filter=Q(archived_at__isnull=False)),
        oldest_archived=Min("archived_at"),
    )
    window = archived_window()
    return render_to_string(
        "jobs/_your_data.html",
        {
            "stats": stats,
            "moves": StageChange.objects.filter(user=subject).count(),
            "note_count": JobNote.objects.filter(user=subject).count(),
            "interview_count": Interview.objects.filter(
                user=subject, cancelled_at__isnull=True
            ).count(),
            "tag_count": Tag.objects.filter(user=subject).count(),
            "has_feed": CalendarFeed.objects.filter(user=subject, revoked_at__isnull=True).exists(),
            "next_purge": stats["oldest_archived"] + window if stats["oldest_archived"] else None,
            "window": humanize_window(window),
            "staff_view": staff_view,
        },
    )


def register() -> None:
    register_panel("profile", "jobs", reminder_settings_panel)
    register_panel("your_data", "jobs", tracker_data_panel)


def deletion_dates(user) -> QuerySet:
    """Each of the person's jobs with the day it will be deleted: the archived ones, due
    soonest, first; then the jobs on the board, kept while the account is open."""
    return (
        Job.objects.filter(user=user)
        .order_by(F("archived_at").asc(nulls_last=True), "-updated_at", "pk")
        .values("pk", "title", "company", "archived_at")
    )
