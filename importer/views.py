from http import HTTPStatus

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from importer import services
from importer.forms import BookmarkletForm, LinkForm, PasteForm
from importer.models import ImportPreview
from importer.payload import MAX_PAYLOAD_CHARS, MESSAGES, bookmarklet_code

FORMS = {"link": LinkForm, "paste": PasteForm, "bookmarklet": BookmarkletForm}


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """Paste a link, paste a page, or receive what the bookmarklet sent (through import.js)."""
    kind = request.POST.get("kind", "") if request.method == "POST" else ""
    forms = {name: form() for name, form in FORMS.items()}
    error = ""
    if kind in FORMS:
        form = forms[kind] = FORMS[kind](request.POST)
        if form.is_valid():
            try:
                preview = _start(request, kind, form.cleaned_data)
            except services.ImportRefused as exc:
                error = exc.message
            else:
                return redirect("importer:preview", pk=preview.pk)
        elif kind == "bookmarklet":
            too_large = len(request.POST.get("payload", "")) > MAX_PAYLOAD_CHARS
            error = MESSAGES["payload_too_large" if too_large else "payload_not_base64"]
    elif request.method == "POST":
        error = "Choose how to import the posting."
    status = HTTPStatus.BAD_REQUEST if request.method == "POST" else HTTPStatus.OK
    return render(
        request,
        "importer/start.html",
        {"link_form": forms["link"], "paste_form": forms["paste"],
         "bookmarklet_form": forms["bookmarklet"], "kind": kind, "error": error},
        status=status,
    )  # fmt: skip


def _start(request: HttpRequest, kind: str, data: dict) -> ImportPreview:
    if kind == "link":
        return services.preview_start_link(user=request.user, url=data["url"])
    if kind == "paste":
        return services.preview_from_page(
            user=request.user, content=data["content"], url=data["url"]
        )
    return services.preview_from_bookmarklet(user=request.user, payload=data["payload"])


def _own_preview(request: HttpRequest, pk) -> ImportPreview:
    """The user's own preview; one past its retention window is gone, even before the purge."""
    return get_object_or_404(
        ImportPreview, pk=pk, owner=request.user, created_at__gte=services.preview_cutoff()
    )


@login_required
@require_http_methods(["GET", "POST"])
def preview(request: HttpRequest, pk) -> HttpResponse:
    item = _own_preview(request, pk)
    from jobs.forms import JobForm
    from jobs.services import DuplicateJob, job_find_duplicate

    if item.status != ImportPreview.Status.READY:
        status = HTTPStatus.OK if item.is_pending else HTTPStatus.UNPROCESSABLE_ENTITY
        return render(
            request,
            "importer/progress.html",
            {"preview": item, "error": services.message_for(item.error)},
            status=status,
        )
    postings = [services.posting_from_stored(p) for p in item.postings]
    choice = request.POST.get("posting") if request.method == "POST" else request.GET.get("posting")
    if choice is None and len(postings) > 1:
        return render(request, "importer/pick.html", {"preview": item, "postings": postings})
    try:
        index = int(choice or 0)
        posting = postings[index]
    except (ValueError, IndexError):
        return redirect("importer:preview", pk=item.pk)
    initial = services.form_initial(item, posting)
    form = JobForm(request.POST if request.method == "POST" else None, initial=initial)
    duplicate = job_find_duplicate(
        user=request.user,
        url=posting.url,
        board=initial["board"],
        board_id=initial["board_id"],
    )
    if request.method == "POST" and form.is_valid():
        try:
            job = services.preview_confirm(preview=item, data=form.job_data(), posting=posting)
        except DuplicateJob as exc:
            duplicate = exc.existing
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "The job is on your board.")
            return redirect("jobs:detail", pk=job.pk)
    status = HTTPStatus.BAD_REQUEST if request.method == "POST" else HTTPStatus.OK
    return render(
        request,
        "importer/preview.html",
        {"preview": item, "posting": posting, "index": index, "form": form,
         "duplicate": duplicate, "several": len(postings) > 1},
        status=status,
    )  # fmt: skip


@login_required
@require_GET
def preview_status(request: HttpRequest, pk) -> JsonResponse:
    item = _own_preview(request, pk)
    return JsonResponse({"status": item.status})


@login_required
@require_POST
def preview_discard(request: HttpRequest, pk) -> HttpResponse:
    services.preview_discard(preview=_own_preview(request, pk))
    messages.info(request, "The import was discarded.")
    return redirect("importer:start")


@login_required
@require_GET
def bookmarklet(request: HttpRequest) -> HttpResponse:
    target = request.build_absolute_uri(reverse("importer:start"))
    return render(request, "importer/bookmarklet.html", {"code": bookmarklet_code(target)})


def fetcher(request: HttpRequest) -> HttpResponse:
    """Public: the page JobTrax's importer names in its User-Agent, for site operators."""
    from importer.fetch import user_agent

    return render(
        request,
        "importer/fetcher.html",
        {
            "user_agent": user_agent(),
            "max_megabytes": settings.IMPORTER_MAX_BYTES // (1024 * 1024),
            "timeout": int(settings.IMPORTER_FETCH_TIMEOUT),
            "per_hour": settings.IMPORTER_LINK_IMPORTS_PER_HOUR,
        },
    )
