import functools
import hashlib
from functools import wraps
from http import HTTPStatus

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
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
    tags,
)
from jobs.assist import JobAssistantForm, text_to_send
from jobs.forms import (
    BULK_ACTIONS,
    BulkForm,
    CsvUploadForm,
    JobForm,
    ListFilterForm,
    MoveForm,
    NoteForm,
    ReminderSettingsForm,
    TagRenameForm,
    TrackingForm,
)
from jobs.models import STAGE_KEY_MAX, TAG_NAME_MAX, Job, Tag
from jobs.posting import ORIGIN_FIELDS, POSTING_FIELDS, TRACKING_FIELDS
from jobs.reminders import tracker_settings_update
from jobs.retention import archived_window
from jobs.stages import stage_map
from jobtrax import pagecache
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


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "")[:STAGE_KEY_MAX]
    tag = request.GET.get("tag", "").strip()[:TAG_NAME_MAX]
    now = timezone.now()
    today = timezone.localdate(now)
    # The body changes with the person's data (pagecache's version), the day (days in a stage,
    # deadlines, silent applications), the quarter hour (upcoming interviews) and the query.
    variant = f"{today.isoformat()}:{now.hour}:{now.minute // 15}:{show}:{tag}"
    return pagecache.framed(
        request,
        "board",
        "jobs/board.html",
        lambda token: _board_body(request, show, tag, today, token),
        variant=variant,
    )


def _board_body(request: HttpRequest, show: str, tag: str, today, token: str) -> str:
    data = selectors.board(request.user, show=show, tag=tag)
    data["tag"] = tag
    data["tag_name"] = _shown_tag_name(tag, data["shown_tags"])
    following, data["upcoming"] = interviews.for_board(request.user)
    data["silent"] = ghosting.silent_from_rows(data["silent_rows"])
    extra = {
        "choices": data["stages"].choices(),
        "interviews": following,
        "person_tz": interviews.time_zone_of(request.user),
    }
    for column in data["columns"]:
        # A long column shows its most recent cards; "Show all" is a plain link.
        column.html = cards.cards(column.jobs, today=today, csrf_token=token, **extra)
    data["closed_html"] = cards.cards(data["closed"], today=today, csrf_token=token, **extra)
    data["chart"] = selectors.funnel_chart(data["funnel"])
    data["csrf_token"] = token
    return render_to_string("jobs/_board_body.html", data, request=request)


@login_required
@require_GET
def deletion_dates(request: HttpRequest) -> HttpResponse:
    """Each job's deletion date, linked from "Your data": 100 a page."""
    from jobs.panels import deletion_dates as dates

    window = archived_window()
    page = Paginator(dates(request.user), 100).get_page(request.GET.get("page"))
    for job in page.object_list:
        job["purge_on"] = job["archived_at"] + window if job["archived_at"] else None
    return render(
        request, "jobs/deletion_dates.html", {"page": page, "window": humanize_window(window)}
    )


def _shown_tag_name(tag: str, shown: list[tuple[int, str]]) -> str:
    """The name of the tag a page is filtered by, from the tags it shows (no query)."""
    for tag_id, name in shown:
        if tag == str(tag_id) or tag.lower() == name.lower():
            return name
    return tag


def _list_filters(request: HttpRequest, stages, own_tags) -> tuple[ListFilterForm, dict]:
    form = ListFilterForm(request.GET or None, stage_choices=stages.choices(), tags=own_tags)
    # Each stage of the person's, hidden ones too: their jobs can still be in them.
    form.fields["stage"].choices = [("", "All"), *((s.key, s.name) for s in stages.stages)]
    filters = form.cleaned_data if form.is_valid() else {}
    return form, {k: v for k, v in filters.items() if v}


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    # The body changes with the person's data (pagecache's version), the day (dates shown as
    # relative) and the query (filters, sort and page).
    query = hashlib.sha256(request.META.get("QUERY_STRING", "").encode()).hexdigest()
    variant = f"{timezone.localdate().isoformat()}:{query}"
    return pagecache.framed(
        request, "list", "jobs/list.html", lambda token: _list_body(request, token),
        variant=variant,
    )  # fmt: skip


def _list_body(request: HttpRequest, token: str) -> str:
    stages = stage_map(request.user)
    own_tags = tags.tags_of(request.user)
    form, filters = _list_filters(request, stages, own_tags)
    jobs = selectors.job_list(request.user, **filters)
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    names = stages.names
    tagged = tags.tags_by_job(request.user, [job.pk for job in page])
    for job in page:
        job.stage_names = names
        job.tag_pairs = tagged.get(job.pk, [])
    query = request.GET.copy()
    query.pop("page", None)
    return render_to_string(
        "jobs/_list_body.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "bulk_form": BulkForm(stage_choices=stages.choices()),
            "own_tags": own_tags,
            "bulk_max": services.BULK_MAX,
            "csrf_token": token,
        },
        request=request,
    )


_LIST_KEYS = ("q", "stage", "tag", "workplace", "archived", "sort", "page")


def _back_to_list(back: str) -> str:
    """The list with the filters it had: only its own keys, re-encoded, never another page."""
    from django.http import QueryDict

    kept = QueryDict(mutable=True)
    given = QueryDict(str(back or "").lstrip("?")[:2000])
    for key in _LIST_KEYS:
        value = given.get(key, "")[:200]
        if value:
            kept[key] = value
    query = kept.urlencode()
    return reverse("jobs:list") + (f"?{query}" if query else "")


def _jobs_word(count: int) -> str:
    return f"{count} job{'' if count == 1 else 's'}"


@login_required
@require_POST
def job_bulk(request: HttpRequest) -> HttpResponse:
    """What the list's action bar does to the ticked jobs. Deleting asks first: the first
    POST shows the jobs, only the confirmation deletes them."""
    stages = stage_map(request.user)
    form = BulkForm(request.POST, stage_choices=stages.choices())
    back = _back_to_list(request.POST.get("back", ""))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    data = form.cleaned_data
    action, ids = data["action"], data["job_ids"]
    try:
        if action == "export":
            return _export_response(request, job_ids=[j.pk for j in services.jobs_selected(
                user=request.user, job_ids=ids)])  # fmt: skip
        if action == "delete":
            selected = services.jobs_selected(user=request.user, job_ids=ids)
            return render(
                request,
                "jobs/bulk_delete.html",
                {"jobs": selected, "back": request.POST.get("back", "")[:2000]},
            )
        text = _bulk_write(request, action, ids, data, stages)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(back)
    messages.success(request, text)
    return redirect(back)


def _bulk_write(request: HttpRequest, action: str, ids: list[int], data: dict, stages) -> str:
    user = request.user
    if action == "move":
        stage = data["stage"]
        moved = services.jobs_move(user=user, job_ids=ids, stage=stage)
        name = stages.names.get(stage, stage)
        return f"{_jobs_word(moved)} moved to {name}."
    if action == "add_tag":
        tag, count = services.jobs_add_tag(user=user, job_ids=ids, name=data["tag"])
        return f"Tag “{tag.name}” added to {_jobs_word(count)}."
    if action == "remove_tag":
        tag, count = services.jobs_remove_tag(user=user, job_ids=ids, tag_value=data["tag"])
        return f"Tag “{tag.name}” removed from {_jobs_word(count)}."
    if action == "archive":
        return f"{_jobs_word(services.jobs_archive(user=user, job_ids=ids))} archived."
    if action == "unarchive":
        count = services.jobs_unarchive(user=user, job_ids=ids)
        return f"{_jobs_word(count)} back on your board."
    if action == "delete_confirmed":
        count = services.jobs_delete(user=user, job_ids=ids)
        return f"{_jobs_word(count)} and {'its' if count == 1 else 'their'} history deleted."
    raise ValidationError(f"Choose what to do: {', '.join(BULK_ACTIONS.values())}.")


@login_required
@require_http_methods(["GET", "POST"])
def job_new(request: HttpRequest) -> HttpResponse:
    form = JobForm(
        request.POST if request.method == "POST" else None,
        stage_picker=True,
        stage_choices=stage_map(request.user).choices(),
        tags_field=True,
    )
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
            _save_tags(request, job, form.tag_names())
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
        "tag_pairs": tags.tags_by_job(request.user, [job.pk]).get(job.pk, []),
    }
    context.update(extra)
    return context


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "GET":
        _own_job(request, pk)  # another person's job is a 404 whatever the method
        return HttpResponseNotAllowed(["GET"])
    # The body changes with the person's data (pagecache's version), the day and the quarter
    # hour (interviews to come, follow-ups due). The job is read only to render the page: a
    # page kept for this person with this job's key was rendered from their own job, and any
    # change to it (a deletion included) raised their version since.
    now = timezone.now()
    variant = f"{pk}:{timezone.localdate(now).isoformat()}:{now.hour}:{now.minute // 15}"
    job = functools.cache(lambda: _own_job(request, pk))

    def build(token: str) -> str:
        context = {**detail_context(request, job()), "csrf_token": token}
        return render_to_string("jobs/_detail_body.html", context, request=request)

    return pagecache.framed(
        request, "job", "jobs/detail.html", build, context=lambda: {"job": job()}, variant=variant
    )


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
    current = tags.tags_by_job(request.user, [job.pk]).get(job.pk, [])
    initial["tags"] = ", ".join(name for _, name in current)
    form = JobForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        tags_field=True,
        first_note=False,
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.job_update(job=job, data=form.job_data())
                tags.job_set_tags(job=job, names=form.tag_names() or [])
        except services.DuplicateJob as exc:
            _duplicate_error(form, exc.existing)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Your changes are saved.")
            return redirect("jobs:detail", pk=job.pk)
    status = HTTPStatus.BAD_REQUEST if request.method == "POST" else HTTPStatus.OK
    return render(request, "jobs/job_form.html", {"form": form, "job": job}, status=status)


def _save_tags(request: HttpRequest, job: Job, names: list[str] | None) -> None:
    if not names:
        return
    try:
        tags.job_set_tags(job=job, names=names)
    except ValidationError as exc:
        for message in exc.messages:
            messages.warning(request, f"The job is saved without its tags: {message}")


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


def _export_response(request: HttpRequest, job_ids=None) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    part = "jobs" if job_ids is None else "selected-jobs"
    response["Content-Disposition"] = (
        f'attachment; filename="jobtrax-{part}-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    csvio.write_export(user=request.user, out=response, job_ids=job_ids)
    return response


@login_required
@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    return _export_response(request)


@own_job("POST")
def job_tags(request: HttpRequest, job: Job) -> HttpResponse:
    """Add tags (comma separated) to a job, or take one off, from the job page."""
    remove = request.POST.get("remove", "")
    try:
        if remove:
            tag = tags.tag_find(request.user, remove)
            if tag is not None:
                tags.jobs_remove_tag(user=request.user, job_ids=[job.pk], tag=tag)
                messages.success(request, f"Tag “{tag.name}” removed.")
        else:
            names = tags.parse_names(request.POST.get("tags", "")[: tags.TAGS_TEXT_MAX + 1])
            current = [name for _, name in tags.tags_by_job(request.user, [job.pk]).get(job.pk, [])]
            if names:
                tags.job_set_tags(job=job, names=current + names)
                messages.success(request, "Tags saved.")
            else:
                messages.error(request, "Type one or more tags, comma separated.")
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(f"{reverse('jobs:detail', args=[job.pk])}#tags-heading")


def _own_tag(request: HttpRequest, tag_id: int) -> Tag:
    return get_object_or_404(Tag, pk=tag_id, user=request.user)


@login_required
@require_GET
def tag_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "jobs/tags.html",
        {"tags": tags.tags_with_counts(request.user), "max_tags": tags.MAX_TAGS},
    )


@login_required
@require_POST
def tag_rename(request: HttpRequest, tag_id: int) -> HttpResponse:
    tag = _own_tag(request, tag_id)
    form = TagRenameForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Give the tag a name of at most {TAG_NAME_MAX} characters.")
        return redirect("jobs:tags")
    old = tag.name
    try:
        tags.tag_rename(tag=tag, name=form.cleaned_data["name"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"“{old}” is now “{tag.name}”.")
    return redirect("jobs:tags")


@login_required
@require_POST
def tag_delete(request: HttpRequest, tag_id: int) -> HttpResponse:
    tag = _own_tag(request, tag_id)
    tags.tag_delete(tag=tag)
    messages.success(request, f"Tag “{tag.name}” deleted; the jobs it was on stay.")
    return redirect("jobs:tags")


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
