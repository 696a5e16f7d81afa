"""Pages of the tracker's dated events: interviews, the week ahead, the private calendar feed,
and the person's time zone and discreet mode."""

from __future__ import annotations

from datetime import timedelta
from functools import wraps
from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobs import analytics, calendar_feed, contacts, ghosting, interviews, stages
from jobs.interview_forms import ContactForm, FeedForm, InterviewForm, ScheduleSettingsForm
from jobs.models import Interview, Job, JobContact, Phase
from jobs.views import _apply_errors, own_job


def _own_interview(request: HttpRequest, interview_id: int) -> Interview:
    """The signed-in person's interview (not a deleted one), or a 404 for anyone else's."""
    if interview_id > 2**62:
        raise Http404("No such interview.")
    return get_object_or_404(
        Interview.objects.select_related("job"),
        pk=interview_id,
        user=request.user,
        cancelled_at__isnull=True,
    )


@own_job("GET", "POST")
def interview_new(request: HttpRequest, job: Job) -> HttpResponse:
    tz = interviews.time_zone_of(request.user)
    form = InterviewForm(request.POST if request.method == "POST" else None, tz=tz)
    if request.method == "POST" and form.is_valid():
        try:
            interviews.interview_create(job=job, data=form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "The interview is saved.")
            return redirect("jobs:detail", pk=job.pk)
    status = HTTPStatus.BAD_REQUEST if request.method == "POST" else HTTPStatus.OK
    return render(
        request,
        "jobs/interview_form.html",
        {"form": form, "job": job, "interview": None, "tz": tz},
        status=status,
    )


def _interview_view(methods):
    """Views of one interview: the owner check first, then the method, as for jobs."""

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, interview_id: int) -> HttpResponse:
            interview = _own_interview(request, interview_id)
            if request.method not in methods:
                return HttpResponseNotAllowed(methods)
            return view(request, interview.job, interview)

        return login_required(wrapper)

    return decorator


@_interview_view(("GET", "POST"))
def interview_edit(request: HttpRequest, job: Job, interview: Interview) -> HttpResponse:
    tz = interviews.time_zone_of(request.user)
    form = InterviewForm(
        request.POST if request.method == "POST" else None,
        tz=tz,
        initial=InterviewForm.initial_from(interview, tz),
    )
    if request.method == "POST" and form.is_valid():
        try:
            interviews.interview_update(interview=interview, data=form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "The interview is updated.")
            return redirect("jobs:detail", pk=job.pk)
    status = HTTPStatus.BAD_REQUEST if request.method == "POST" else HTTPStatus.OK
    return render(
        request,
        "jobs/interview_form.html",
        {"form": form, "job": job, "interview": interview, "tz": tz},
        status=status,
    )


@_interview_view(("GET", "POST"))
def interview_delete(request: HttpRequest, job: Job, interview: Interview) -> HttpResponse:
    if request.method == "POST":
        interviews.interview_delete(interview=interview)
        messages.success(request, "The interview is deleted; calendar feeds show it cancelled.")
        return redirect("jobs:detail", pk=job.pk)
    tz = interviews.time_zone_of(request.user)
    return render(
        request,
        "jobs/interview_delete.html",
        {"job": job, "interview": interview, "tz": tz},
    )


@login_required
@require_GET
def this_week(request: HttpRequest) -> HttpResponse:
    tz = interviews.time_zone_of(request.user)
    now = timezone.now()
    rows = list(interviews.upcoming(request.user, days=7, now=now))
    days: dict = {}
    for row in rows:
        days.setdefault(row.starts_at.astimezone(tz).date(), []).append(row)
    today = now.astimezone(tz).date()
    follow_ups = (
        Job.objects.filter(
            user=request.user,
            archived_at__isnull=True,
            follow_up_on__gte=today,
            follow_up_on__lt=today + timedelta(days=7),
        )
        .only("pk", "title", "company", "follow_up_on")
        .order_by("follow_up_on", "pk")
    )
    return render(
        request,
        "jobs/this_week.html",
        {"days": sorted(days.items()), "tz": tz, "follow_ups": follow_ups, "today": today},
    )


@login_required
@never_cache
@require_GET
def feed_page(request: HttpRequest) -> HttpResponse:
    return render(request, "jobs/calendar_feed.html")


@login_required
@require_POST
def feed_create(request: HttpRequest) -> HttpResponse:
    form = FeedForm(request.POST)
    discreet = bool(form.is_valid() and form.cleaned_data["discreet"])
    replaced = calendar_feed.active_feed(request.user) is not None
    calendar_feed.calendar_feed_create(user=request.user, discreet=discreet)
    messages.success(
        request,
        "Your new feed address is ready; the old one no longer works."
        if replaced
        else "Your feed address is ready. Add it to your calendar app.",
    )
    return redirect("jobs:feed_page")


@login_required
@require_POST
def feed_update(request: HttpRequest) -> HttpResponse:
    feed = calendar_feed.active_feed(request.user)
    if feed is None:
        raise Http404("You have no calendar feed.")
    form = FeedForm(request.POST)
    discreet = bool(form.is_valid() and form.cleaned_data["discreet"])
    calendar_feed.calendar_feed_set_discreet(feed=feed, discreet=discreet)
    messages.success(request, "Discreet feed is on." if discreet else "Discreet feed is off.")
    return redirect("jobs:feed_page")


@login_required
@require_POST
def feed_revoke(request: HttpRequest) -> HttpResponse:
    calendar_feed.calendar_feed_revoke(user=request.user)
    messages.success(request, "The feed is revoked: its address no longer works.")
    return redirect("jobs:feed_page")


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself, for calendar apps: no session, the token is the key. The request log
    records the route's name, never the path, so the token is not logged."""
    try:
        found = calendar_feed.feed_by_token(token)
    except calendar_feed.FeedGone:
        return HttpResponse(
            "This calendar feed was revoked.", status=HTTPStatus.GONE, content_type="text/plain"
        )
    if found is None:
        raise Http404("No such calendar feed.")
    response = HttpResponse(
        calendar_feed.feed_body(found), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@require_http_methods(["POST"])
def schedule_settings(request: HttpRequest) -> HttpResponse:
    form = ScheduleSettingsForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a time zone from the list.")
        return redirect(request.POST.get("back") == "feed" and "jobs:feed_page" or "jobs:week")
    interviews.tracker_schedule_update(
        user=request.user,
        time_zone=form.cleaned_data["time_zone"],
        discreet=form.cleaned_data["discreet"],
    )
    messages.success(request, "Saved.")
    return redirect("jobs:feed_page" if request.POST.get("back") == "feed" else "jobs:week")


@login_required
@require_http_methods(["GET", "POST"])
def stages_page(request: HttpRequest) -> HttpResponse:
    """Rename, re-map, reorder and hide one's stages (one plain form), and add one."""
    current = stages.stage_map(request.user)
    errors: list[str] = []
    if request.method == "POST" and request.POST.get("action") == "add":
        try:
            stages.stage_add(
                user=request.user,
                name=request.POST.get("name", "")[:200],
                phase=request.POST.get("phase", "")[:20],
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, "The stage is added.")
            return redirect("jobs:stages")
    elif request.method == "POST":
        changes = {}
        for stage in current.stages:
            key = stage.key
            position = request.POST.get(f"position-{key}", str(stage.position))[:4]
            changes[key] = {
                "name": request.POST.get(f"name-{key}", stage.name)[:200],
                "phase": request.POST.get(f"phase-{key}", stage.phase)[:20],
                "position": int(position) if position.isdigit() else stage.position,
                "hidden": request.POST.get(f"hidden-{key}") == "on",
            }
        try:
            stages.stages_update(user=request.user, changes=changes)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, "Your stages are saved.")
            return redirect("jobs:stages")
    return render(
        request,
        "jobs/stages.html",
        {"stages": current.stages, "phases": Phase.choices, "errors": errors},
        status=HTTPStatus.BAD_REQUEST if errors else HTTPStatus.OK,
    )


@own_job("POST")
def ghosting_dismiss(request: HttpRequest, job: Job) -> HttpResponse:
    ghosting.job_dismiss_ghosting(job=job)
    messages.success(request, "Fine: it will not be proposed for “Ghosted” again.")
    return redirect("jobs:board")


@own_job("POST")
def contact_add(request: HttpRequest, job: Job) -> HttpResponse:
    form = ContactForm(request.POST)
    if not form.is_valid():
        messages.error(request, "A contact needs a name; each field has a length limit.")
        return redirect("jobs:detail", pk=job.pk)
    try:
        contacts.contact_add(job=job, data=form.cleaned_data)
    except (contacts.TooManyContacts, ValidationError) as exc:
        messages.error(request, exc.messages[0] if hasattr(exc, "messages") else str(exc))
    else:
        messages.success(request, "The contact is saved with this job.")
    return redirect("jobs:detail", pk=job.pk)


@login_required
@require_POST
def contact_delete(request: HttpRequest, contact_id: int) -> HttpResponse:
    if contact_id > 2**62:
        raise Http404("No such contact.")
    contact = get_object_or_404(JobContact, pk=contact_id, user=request.user)
    contacts.contact_delete(contact=contact)
    messages.success(request, "The contact is deleted.")
    return redirect("jobs:detail", pk=contact.job_id)


@login_required
@require_GET
def analytics_page(request: HttpRequest) -> HttpResponse:
    result = analytics.report(request.user)
    charts = [
        ("conversion", "Conversion between phases", result.conversions, "From"),
        ("channel", "Response rate by channel", result.by_channel, "Channel"),
        ("board", "Response rate by job board", result.by_board, "Job board"),
        ("month", "Response rate by month applied", result.by_month, "Month"),
    ]
    return render(
        request,
        "jobs/analytics.html",
        {
            "report": result,
            "charts": [
                {
                    "key": key,
                    "title": title,
                    "rates": rates,
                    "label": label,
                    "svg": analytics.bars(rates),
                }
                for key, title, rates, label in charts
            ],
            "few": analytics.FEW,
        },
    )
