"""The tracker's own template tags, for the tracker's own pages (other apps' pages get the
tracker's panels through jobtrax.panels: jobs/panels.py)."""

from django import template

from jobs.reminders import tracker_settings_for

register = template.Library()


@register.inclusion_tag("jobs/_interviews.html")
def job_interviews_panel(job, user) -> dict:
    from jobs import interviews

    return {
        "job": job,
        "interviews": interviews.interviews_of_job(job),
        "tz": interviews.time_zone_of(user),
    }


@register.inclusion_tag("jobs/_ghosting_nudge.html", takes_context=True)
def ghosting_nudge_panel(context, stages, silent=None) -> dict:
    """`silent`: the board's own list (jobs.ghosting.silent_from_rows), else one query."""
    from django.conf import settings

    from jobs.ghosting import silent_applications

    user = context["request"].user
    ghosted = next((s for s in stages.stages if s.key == "ghosted" and not s.hidden),
                   None)  # fmt: skip
    if ghosted and silent is None:
        silent = silent_applications(user, stages)
    return {
        "silent": silent if ghosted else [],
        "ghosted": ghosted,
        "days": settings.JOBS_GHOSTED_DAYS,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("jobs/_contacts.html", takes_context=True)
def job_contacts_panel(context, job) -> dict:
    from jobs.interview_forms import ContactForm

    return {
        "job": job,
        "contacts": list(job.contacts.order_by("created_at", "pk")),
        "form": ContactForm(),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("jobs/_upcoming_interviews.html")
def upcoming_interviews_panel(user, upcoming=None) -> dict:
    """`upcoming`: the board's own list (jobs.interviews.for_board), else one query."""
    from jobs import interviews

    if upcoming is None:
        upcoming = list(interviews.upcoming(user, days=7))
    return {
        "upcoming_interviews": upcoming,
        "tz": interviews.time_zone_of(user),
    }


@register.inclusion_tag("jobs/_calendar_feed_panel_body.html", takes_context=True)
def calendar_feed_panel(context) -> dict:
    """The "Calendar feed" panel, for its own page and for any page listing connected apps."""
    from jobs import calendar_feed
    from jobs.interview_forms import FeedForm

    request = context["request"]
    user = request.user
    feed = calendar_feed.active_feed(user)
    return {
        "feed": feed,
        "feed_urls": calendar_feed.feed_urls(feed, request) if feed else None,
        "feed_form": FeedForm(initial={"discreet": feed.discreet if feed else False}),
        "tracker_settings": tracker_settings_for(user),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("jobs/_schedule_settings.html", takes_context=True)
def schedule_settings_panel(context, back: str = "") -> dict:
    from jobs.interview_forms import ScheduleSettingsForm

    settings = tracker_settings_for(context["request"].user)
    return {
        "schedule_form": ScheduleSettingsForm(
            initial={"time_zone": settings.time_zone, "discreet": settings.discreet}
        ),
        "back": back,
        "csrf_token": context.get("csrf_token"),
    }
