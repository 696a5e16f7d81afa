from django import template

from jobs.forms import ReminderSettingsForm
from jobs.reminders import tracker_settings_for

register = template.Library()


@register.inclusion_tag("jobs/_reminder_settings.html", takes_context=True)
def reminder_settings_panel(context) -> dict:
    user = context["request"].user
    settings = tracker_settings_for(user)
    return {
        "reminder_form": ReminderSettingsForm(
            initial={"reminders_enabled": settings.reminders_enabled}
        ),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("jobs/_your_data.html")
def tracker_data_panel(subject, staff_view: bool = False) -> dict:
    """The tracker's lines on the "Your data" page: what is kept, and when archived jobs go."""
    from django.db.models import Count, Min, Q

    from jobs.models import Job, StageChange
    from jobs.retention import archived_window
    from jobtrax.datamap import humanize_window

    stats = Job.objects.filter(user=subject).aggregate(
        total=Count("pk"),
        archived=Count("pk", filter=Q(archived_at__isnull=False)),
        oldest_archived=Min("archived_at"),
    )
    window = archived_window()
    return {
        "stats": stats,
        "moves": StageChange.objects.filter(user=subject).count(),
        "next_purge": stats["oldest_archived"] + window if stats["oldest_archived"] else None,
        "window": humanize_window(window),
        "staff_view": staff_view,
    }
