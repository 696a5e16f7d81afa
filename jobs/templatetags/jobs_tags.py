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
