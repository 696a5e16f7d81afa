from django import template

from jobs.forms import ReminderSettingsForm
from jobs.reminders import tracker_settings_for

register = template.Library()
# Jobs listed one by one on "Your data" (the archived ones, due soonest, come first).
PURGE_LIST_MAX = 500


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
    from django.db.models import Count, F, Min, Q

    from jobs.models import Job, StageChange
    from jobs.retention import archived_window
    from jobtrax.datamap import humanize_window

    stats = Job.objects.filter(user=subject).aggregate(
        total=Count("pk"),
        archived=Count("pk", filter=Q(archived_at__isnull=False)),
        oldest_archived=Min("archived_at"),
    )
    window = archived_window()
    rows = (
        []
        if staff_view
        else (
            Job.objects.filter(user=subject)
            .order_by(F("archived_at").asc(nulls_last=True), "-updated_at", "pk")
            .values_list("pk", "title", "company", "archived_at")[:PURGE_LIST_MAX]
        )
    )
    jobs = [
        {
            "pk": pk,
            "title": title,
            "company": company,
            "archived_at": archived_at,
            "purge_on": archived_at + window if archived_at else None,
        }
        for pk, title, company, archived_at in rows
    ]
    return {
        "jobs": jobs,
        "more": max(0, stats["total"] - len(jobs)),
        "stats": stats,
        "moves": StageChange.objects.filter(user=subject).count(),
        "next_purge": stats["oldest_archived"] + window if stats["oldest_archived"] else None,
        "window": humanize_window(window),
        "staff_view": staff_view,
    }
