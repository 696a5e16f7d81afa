from functools import wraps
from http import HTTPStatus

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assistant import services as assistant
from assistant.client import AssistantUnavailable
from jobs import (
    applied_before,
    cards,
    csvio,
    ghosting,
    ics,
    interviews,
    notes,
    selectors,
    services,
)
from jobs.assist import JobAssistantForm, text_to_send
from jobs.forms import (
    CsvUploadForm,
    JobForm,
    ListFilterForm,
    MoveForm,
    NoteForm,
    ReminderSettingsForm,
    TrackingForm,
)
from jobs.models import Job
from jobs.posting import ORIGIN_FIELDS, POSTING_FIELDS, TRACKING_FIELDS
from jobs.reminders import tracker_settings_update
from jobs.retention import archived_window
from jobs.stages import stage_map
from jobtrax.datamap import humanize_window

PAGE_SIZE = 50


def _own_job(request: HttpRequest, pk: int) -> Job:
    """The signed-in person's job, or a 404 for anyone else's: never a 403 that confirms it."""
    return get_object_or_404(Job, pk=pk, user=request.user)


def own_job(*methods: str):
    """Views of one job: the owner check comes before anything else, the method check too,
    so another person's job is a 404 whatever the method."""

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, pk: int) -> HttpResponse:
            job = _own_job(request, pk)
            if request.method not in methods:
                return HttpResponseNotAllowed(methods)
            return view(request, job)

        return login_required(wrapper)

    return decorator


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _duplicate_error(form, existing: Job) -> None:
    form.add_error(
        None,
        format_html(
            'You already track this job: <a href="{}">{}</a>.',
            reverse("jobs:detail", args=[existing.pk]),
            existing.title,
        ),
    )


# Cards rendered per column before "Show all": a board of hundreds of jobs stays quick to
# render and to scroll.
CARDS_PER_COLUMN = 50


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    data = selectors.board(request.user)
    today = timezone.localdate()
    token = get_token(request)
    following, data["upcoming"] = interviews.for_board(request.user)
    data["silent"] = ghosting.silent_from_rows(data["live"], data["stages"])
    extra = {
        "choices": data["stages"].choices(),
        "interviews": following,
        "person_tz": interviews.time_zone_of(request.user),
    }
    shown_in_full = request.GET.get("show", "")
    for column in data["columns"]:
        rows = column.jobs
        if len(rows) > CARDS_PER_COLUMN and column.stage != shown_in_full:
            # A long column shows its most recent cards; "Show all" is a plain link.
            rows = rows[:CARDS_PER_COLUMN]
        column.hidden_count = len(column.jobs) - len(rows)
        column.html = cards.cards(rows, today=today, csrf_token=token, **extra)
    data["closed_html"] = cards.cards(data["closed"], today=today, csrf_token=token, **extra)
    data["chart"] = selectors.funnel_chart(data["funnel"])
    return render(request, "jobs/board.html", data)


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    form = ListFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    jobs = selectors.job_list(request.user, **{k: v for k, v in filters.items() if v})
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    names = stage_map(request.user).names
    for job in page:
        job.stage_names = names
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "jobs/list.html",
        {"form": form, "page": page, "query": query.urlencode(), "today": timezone.localdate()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def job_new(request: HttpRequest) -> HttpResponse:
    form = JobForm(request.POST if request.method == "POST" else None, stage_picker=True)
    earlier = []
    if request.method == "POST" and form.is_valid() and request.POST.get("applied_before") != "ok":
        earlier = applied_before.earlier_applications(
            request.user,
            company=form.cleaned_data.get("company", ""),
            title=form.cleaned_data.get("title", ""),
        )
    if request.method == "POST" and form.is_valid() and not earlier:
        try:
            job = services.job_create(
                user=request.user,
                data=form.job_data(),
                stage=form.chosen_stage(),
                **form.origin(),
            )
        except services.DuplicateJob as exc:
            _duplicate_error(form, exc.existing)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "The job is on your board.")
            return redirect("jobs:detail", pk=job.pk)
    status = HTTPStatus.BAD_REQUEST if request.method == "POST" and not earlier else HTTPStatus.OK
    return render(
        request,
        "jobs/job_form.html",
        {"form": form, "job": None, "applied_before": earlier},
        status=status,
    )


def _with_stage_names(job: Job) -> tuple[list, list]:
    """The job and its history named with the person's stages; the move menu's choices."""
    stages = stage_map(job.user_id)
    job.stage_names = stages.names
    history = list(selectors.job_history(job))
    for change in history:
        change.stage_names = stages.names
    return history, stages.choices(job.stage)


def detail_context(request: HttpRequest, job: Job, **extra) -> dict:
    """What the job page shows; the tracking and note forms replace theirs with a bound one
    when they come back with errors."""
    history, choices = _with_stage_names(job)
    context = {
        "job": job,
        "history": history,
        "move_form": MoveForm(initial={"stage": job.stage}, choices=choices),
        "tracking_form": TrackingForm(
            initial={
                "applied_on": job.applied_on,
                "applied_via": job.applied_via,
                "follow_up_on": job.follow_up_on,
            }
        ),
        "notes": notes.notes_of_job(job),
        "note_form": NoteForm(),
        "person_tz": interviews.time_zone_of(request.user),
        "today": timezone.localdate(),
        "archived_retention": humanize_window(archived_window()),
        "assistant_enabled": assistant.assistant_enabled(),
    }
    context.update(extra)
    return context


@own_job("GET")
def job_detail(request: HttpRequest, job: Job) -> HttpResponse:
    return render(request, "jobs/detail.html", detail_context(request, job))


@own_job("GET", "POST")
def job_assistant(request: HttpRequest, job: Job) -> HttpResponse:
    """Two steps: "preview" shows exactly what would be sent; "send" sends that, and only
    then. Neither the text nor the answer is stored."""
    if not assistant.assistant_enabled():
        raise Http404("The writing assistant is not available on this site.")
    form = JobAssistantForm(request.POST if request.method == "POST" else None)
    context = {"job": job, "form": form, "preview": None, "answer": None}
    status = HTTPStatus.OK
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "jobs/assistant.html", context, status=HTTPStatus.BAD_REQUEST)
        outgoing = text_to_send(
            job=job,
            text=form.cleaned_data["text"],
            include_description=form.cleaned_data["include_description"],
        )
        context["preview"] = outgoing
        if request.POST.get("step") == "send":
            try:
                context["answer"] = assistant.assistant_run(
                    user=request.user, task=form.cleaned_data["task"], text=outgoing
                )
            except assistant.AssistantRefused as exc:
                form.add_error(None, str(exc))
                status = (
                    HTTPStatus.FORBIDDEN if "restricted" in str(exc) else HTTPStatus.BAD_REQUEST
                )
            except AssistantUnavailable:
                form.add_error(None, "The AI provider did not answer. Your text is still here.")
                status = HTTPStatus.SERVICE_UNAVAILABLE
        elif len(outgoing) > settings.AI_MAX_INPUT_CHARS:
            form.add_error(
                None,
                f"With the description this is over {settings.AI_MAX_INPUT_CHARS} characters: "
                "shorten your text or leave the description out.",
            )
            context["preview"] = None
            status = HTTPStatus.BAD_REQUEST
    return render(request, "jobs/assistant.html", context, status=status)


@own_job("GET", "POST")
def job_edit(request: HttpRequest, job: Job) -> HttpResponse:
    fields = POSTING_FIELDS + TRACKING_FIELDS + ORIGIN_FIELDS
    initial = {name: getattr(job, name) for name in fields}
    form = JobForm(
        request.POST if request.method == "POST" else None, initial=initial, first_note=False
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.job_update(job=job, data=form.job_data())
        except services.DuplicateJob as exc:
            _duplicate_error(form, exc.existing)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Your changes are saved.")
            return redirect("jobs:detail", pk=job.pk)
    status = HTTPStatus.BAD_REQUEST if request.method == "POST" else HTTPStatus.OK
    return render(request, "jobs/job_form.html", {"form": form, "job": job}, status=status)


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


@own_job("POST")
def job_move(request: HttpRequest, job: Job) -> HttpResponse:
    stages = stage_map(job.user_id)
    form = MoveForm(request.POST, choices=stages.choices(job.stage))
    back = "jobs:detail" if request.POST.get("back") == "detail" else "jobs:board"
    if not form.is_valid():
        if _wants_json(request):
            return JsonResponse({"error": "Choose one of the stages."}, status=400)
        messages.error(request, "Choose one of the stages to move the job to.")
        return redirect(back, pk=job.pk) if back == "jobs:detail" else redirect(back)
    stage = form.cleaned_data["stage"]
    services.job_move(job=job, stage=stage)
    if _wants_json(request):
        return JsonResponse({"stage": stage, "label": stages.names.get(stage, stage)})
    messages.success(request, f"Moved to {stages.names.get(stage, stage)}.")
    if back == "jobs:detail":
        return redirect(back, pk=job.pk)
    # Back to the card itself, wherever the person was on the board.
    return redirect(f"{reverse('jobs:board')}#job-{job.pk}")


@own_job("POST")
def job_tracking(request: HttpRequest, job: Job) -> HttpResponse:
    form = TrackingForm(request.POST)
    if form.is_valid():
        try:
            services.job_update(job=job, data=form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Saved.")
            return redirect("jobs:detail", pk=job.pk)
    return render(
        request,
        "jobs/detail.html",
        detail_context(request, job, tracking_form=form),
        status=HTTPStatus.BAD_REQUEST,
    )


@own_job("POST")
def job_archive(request: HttpRequest, job: Job) -> HttpResponse:
    services.job_archive(job=job)
    messages.success(request, "Archived. Archived jobs are deleted after a while; see Your data.")
    return redirect("jobs:detail", pk=job.pk)


@own_job("POST")
def job_unarchive(request: HttpRequest, job: Job) -> HttpResponse:
    services.job_unarchive(job=job)
    messages.success(request, "The job is back on your board.")
    return redirect("jobs:detail", pk=job.pk)


@own_job("GET", "POST")
def job_delete(request: HttpRequest, job: Job) -> HttpResponse:
    if request.method == "POST":
        services.job_delete(job=job)
        messages.success(request, "The job and its history are deleted.")
        return redirect("jobs:board")
    return render(request, "jobs/delete.html", {"job": job})


@login_required
@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="jobtrax-jobs-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    csvio.write_export(user=request.user, out=response)
    return response


def _ics_response(body: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    jobs = selectors.own_jobs(request.user).filter(archived_at__isnull=True)
    return _ics_response(ics.calendar_for(jobs), "jobtrax-follow-ups.ics")


@own_job("GET")
def job_calendar(request: HttpRequest, job: Job) -> HttpResponse:
    return _ics_response(ics.calendar_for([job]), f"jobtrax-job-{job.pk}.ics")


@login_required
@require_http_methods(["GET", "POST"])
def csv_import(request: HttpRequest) -> HttpResponse:
    form = (
        CsvUploadForm(request.POST, request.FILES) if request.method == "POST" else CsvUploadForm()
    )
    preview = None
    status = HTTPStatus.OK
    if request.method == "POST":
        if form.is_valid():
            try:
                preview = csvio.import_preview(user=request.user, upload=form.cleaned_data["file"])
            except csvio.CsvRejected as exc:
                form.add_error("file", str(exc))
        if preview is None or not preview.ready:
            status = HTTPStatus.BAD_REQUEST
    return render(
        request, "jobs/csv_import.html", {"form": form, "preview": preview}, status=status
    )


@login_required
@require_POST
def csv_import_confirm(request: HttpRequest, token) -> HttpResponse:
    try:
        result = csvio.import_confirm(user=request.user, token=str(token))
    except csvio.CsvRejected as exc:
        messages.error(request, str(exc))
        return redirect("jobs:csv_import")
    count = result.count
    text = f"Imported {count} job{'' if count == 1 else 's'}."
    if result.skipped:
        text += f" {result.skipped} skipped: added to your board since the check."
    messages.success(request, text)
    return redirect("jobs:board")


@login_required
@require_POST
def reminder_settings(request: HttpRequest) -> HttpResponse:
    form = ReminderSettingsForm(request.POST)
    form.is_valid()  # a checkbox: anything but "on" means off
    enabled = bool(form.cleaned_data.get("reminders_enabled"))
    tracker_settings_update(user=request.user, reminders_enabled=enabled)
    messages.success(
        request,
        "Follow-up reminders are on." if enabled else "Follow-up reminders are off.",
    )
    return redirect("accounts:profile")
