"""The API's panel on "Your data": the connected apps (tokens) a person has, with a link."""

from django.template.loader import render_to_string
from django.utils import timezone

from api.models import ApiToken
from jobtrax.panels import register_panel


def connected_apps_panel(context, *, subject, staff_view: bool = False, **kwargs) -> str:
    active = ApiToken.objects.filter(
        user=subject, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).count()
    return render_to_string("api/_your_data.html", {"active": active, "staff_view": staff_view})


def register() -> None:
    register_panel("your_data", "api", connected_apps_panel)
