import functools
from http import HTTPStatus
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.adapter import forget_resume_url, remember_resume_url
from importer import services
from importer.forms import BookmarkletForm, LinkForm, PasteForm, mark_needs_check
from importer.models import ImportPreview
from importer.payload import MAX_PAYLOAD_CHARS, MESSAGES, bookmarklet_code
from jobtrax import pagecache

# The session holds only this random token; the capture itself waits in PendingCapture.
CAPTURE_SESSION_KEY = "importer_capture"
FORMS = {"link": LinkForm, "paste": PasteForm, "bookmarklet": BookmarkletForm}
# How a job shared from a phone comes in, as its preview (and then the job's channel) records it.
SHARE_CHANNEL = ImportPreview.Method.SHARE
MAX_SHARED_CHARS = 20_000


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """Paste a link, paste a page, or receive what the bookmarklet sent (through import.js).
    A signed-out visitor gets a page that holds a bookmarklet capture while they sign in."""
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        return _hold_page(request)
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


def _hold_page(request: HttpRequest, error: str = "", status=HTTPStatus.OK) -> HttpResponse:
    next_query = urlencode({"next": reverse("importer:start")})
    return render(
        request,
        "importer/hold.html",
        {"form": BookmarkletForm(), "error": error, "next_query": next_query},
        status=status,
    )


@require_POST
def capture_hold(request: HttpRequest) -> HttpResponse:
    """What the bookmarklet sent, from a visitor who is signed out: held for an hour while they
    sign in or sign up, then taken by capture_resume. Signed in, it is imported at once."""
    form = BookmarkletForm(request.POST)
    if not form.is_valid():
        too_large = len(request.POST.get("payload", "")) > MAX_PAYLOAD_CHARS
        error = MESSAGES["payload_too_large" if too_large else "payload_not_base64"]
        return _hold_page(request, error, HTTPStatus.BAD_REQUEST)
    payload = form.cleaned_data["payload"]
    try:
        if request.user.is_authenticated:
            preview = services.preview_from_bookmarklet(user=request.user, payload=payload)
            return redirect("importer:preview", pk=preview.pk)
        capture = services.capture_hold(payload=payload)
    except services.ImportRefused as exc:
        return _hold_page(request, exc.message, HTTPStatus.BAD_REQUEST)
    request.session[CAPTURE_SESSION_KEY] = capture.token
    remember_resume_url(request, reverse("importer:resume"))
    messages.info(
        request,
        "Sign in, or create an account, to save the posting you sent: JobTrax holds it for an "
        "hour.",
    )
    return redirect_to_login(reverse("importer:resume"))


@login_required
@require_GET
def capture_resume(request: HttpRequest) -> HttpResponse:
    """After signing in: the capture held for this browser becomes the person's preview."""
    token = request.session.pop(CAPTURE_SESSION_KEY, "")
    forget_resume_url(request)
    try:
        preview = services.capture_take(user=request.user, token=token)
    except services.ImportRefused as exc:
        messages.error(request, exc.message)
        return redirect("importer:start")
    if preview is None:
        messages.info(
            request,
            "The posting you sent before signing in is no longer held (JobTrax deletes it "
            "after an hour). Send it again with the bookmarklet.",
        )
        return redirect("importer:start")
    return redirect("importer:preview", pk=preview.pk)


def _start(request: HttpRequest, kind: str, data: dict) -> ImportPreview:
    if kind == "link" and request.POST.get("via") == "share":
        return services.preview_start_link(user=request.user, url=data["url"], method=SHARE_CHANNEL)
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


def _chosen(request: HttpRequest, item: ImportPreview):
    """(postings, index) of the posting the request names; index None when one must be picked,
    -1 when the choice is not a posting."""
    postings = [services.posting_from_stored(p) for p in item.postings]
    choice = request.POST.get("posting") if request.method == "POST" else request.GET.get("posting")
    if choice is None and len(postings) > 1:
        return postings, None
    try:
        index = int(choice or 0)
        postings[index]
    except (ValueError, IndexError):
        return postings, -1
    return postings, index


def _duplicate_of(request: HttpRequest, item: ImportPreview, posting):
    from jobs.services import job_find_duplicate

    initial = services.form_initial(item, posting)
    return job_find_duplicate(
        user=request.user, url=posting.url, board=initial["board"], board_id=initial["board_id"]
    )


def _preview_context(request, item, postings, index, form, duplicate, *, update_error=""):
    posting = postings[index]
    changes = []
    if duplicate is not None:
        changes = services.duplicate_changes(preview=item, posting=posting, job=duplicate)
    return {
        "preview": item, "posting": posting, "index": index, "form": form,
        "duplicate": duplicate, "changes": changes, "update_error": update_error,
        "several": len(postings) > 1, "checks": services.check_labels(posting.needs_check),
    }  # fmt: skip


def _render_preview(request, item, postings, index, form, duplicate, *, status, update_error=""):
    context = _preview_context(
        request, item, postings, index, form, duplicate, update_error=update_error
    )
    return render(request, "importer/preview.html", context, status=status)


def _answer_before_the_form(request: HttpRequest, item: ImportPreview):
    """(response, postings, index): the page to show instead of the form (a preview not ready,
    a posting to pick, a choice that is not a posting), or None and the posting chosen."""
    if item.status != ImportPreview.Status.READY:
        status = HTTPStatus.OK if item.is_pending else HTTPStatus.UNPROCESSABLE_ENTITY
        context = {
            "preview": item,
            "error": services.message_for(item.error),
            "next_steps": services.next_steps(item.error),
        }
        return render(request, "importer/progress.html", context, status=status), [], None
    postings, index = _chosen(request, item)
    if index is None:
        response = render(request, "importer/pick.html", {"preview": item, "postings": postings})
        return response, postings, index
    if index < 0:
        return redirect("importer:preview", pk=item.pk), postings, index
    return None, postings, index


def _kept_preview(request: HttpRequest, pk) -> HttpResponse:
    """The preview as first shown (a GET): kept until the person's data changes (the preview
    itself, or a job that makes it a duplicate), per posting chosen and day, and never served
    past the preview's retention window. The preview is read only to render the page: a page
    kept for this person under this key was rendered from their own preview, ready, and any
    change to it (a deletion included) raised their version since."""
    from jobs.forms import JobForm
    from jobtrax import datamap

    item = functools.cache(lambda: _own_preview(request, pk))

    def build(token: str) -> str:
        answer, postings, index = _answer_before_the_form(request, item())
        if answer is not None:
            raise pagecache.NotKept(answer)
        posting = postings[index]
        form = JobForm(initial=services.form_initial(item(), posting))
        mark_needs_check(form, posting)
        duplicate = _duplicate_of(request, item(), posting)
        context = _preview_context(request, item(), postings, index, form, duplicate)
        context["csrf_token"] = token
        return render_to_string("importer/_preview_body.html", context, request=request)

    def until() -> float:
        return (item().created_at + datamap.policy("import_previews").window).timestamp()

    chosen = request.GET.get("posting", "")
    variant = f"{pk}:{chosen}:{timezone.localdate().isoformat()}"
    return pagecache.framed(
        request, "preview", "importer/preview.html", build, variant=variant, until=until
    )


@login_required
@require_http_methods(["GET", "POST"])
def preview(request: HttpRequest, pk) -> HttpResponse:
    if request.method == "GET":
        return _kept_preview(request, pk)
    item = _own_preview(request, pk)
    from jobs.forms import JobForm
    from jobs.services import DuplicateJob

    answer, postings, index = _answer_before_the_form(request, item)
    if answer is not None:
        return answer
    posting = postings[index]
    initial = services.form_initial(item, posting)
    form = JobForm(request.POST, initial=initial)
    mark_needs_check(form, posting)
    duplicate = _duplicate_of(request, item, posting)
    if duplicate is not None:
        status = HTTPStatus.CONFLICT
    elif form.is_valid():
        try:
            job = services.preview_confirm(preview=item, data=form.job_data(), posting=posting)
        except DuplicateJob as exc:
            duplicate, status = exc.existing, HTTPStatus.CONFLICT
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            status = HTTPStatus.BAD_REQUEST
        else:
            messages.success(request, "The job is on your board.")
            return redirect("jobs:detail", pk=job.pk)
    else:
        status = HTTPStatus.BAD_REQUEST
    return _render_preview(request, item, postings, index, form, duplicate, status=status)


@login_required
@require_POST
def preview_update(request: HttpRequest, pk) -> HttpResponse:
    """Update the job already saved with the fields the person picked from this import."""
    from jobs.forms import JobForm
    from jobs.services import DuplicateJob

    item = _own_preview(request, pk)
    if item.status != ImportPreview.Status.READY:
        return redirect("importer:preview", pk=item.pk)
    postings, index = _chosen(request, item)
    if index is None or index < 0:
        return redirect("importer:preview", pk=item.pk)
    posting = postings[index]
    duplicate = _duplicate_of(request, item, posting)
    if duplicate is None:
        return redirect(f"{reverse('importer:preview', args=[item.pk])}?posting={index}")
    offered = {
        c.name for c in services.duplicate_changes(preview=item, posting=posting, job=duplicate)
    }
    picked = list(dict.fromkeys(request.POST.getlist("take")))
    error = ""
    if not picked:
        error = "Pick at least one field to take from this import."
    elif not set(picked) <= offered:
        error = "Pick only fields this import changes."
    else:
        try:
            job = services.preview_update_job(
                preview=item, job=duplicate, posting=posting, fields=picked
            )
        except (ValidationError, DuplicateJob):
            error = "The saved job could not take those values. Open it and edit it by hand."
        else:
            labels = ", ".join(services.check_labels(picked))
            messages.success(request, f"The saved job is updated: {labels}.")
            return redirect("jobs:detail", pk=job.pk)
    duplicate.refresh_from_db()
    form = JobForm(initial=services.form_initial(item, posting))
    return _render_preview(
        request, item, postings, index, form, duplicate,
        status=HTTPStatus.BAD_REQUEST, update_error=error,
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


def _shared_link(url: str, text: str) -> str:
    """The shared link: the `url` field, else the first web address in the text (many apps
    put it there)."""
    if url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    for word in text.split():
        if word.lower().startswith(("http://", "https://")):
            return word.strip("()<>[]\"'.,;")
    return ""


# The share sheet's POST comes from the phone's own share UI and carries no CSRF token. It is
# exempt because it changes nothing: it only shows what was shared and asks to confirm; the
# confirmation is an ordinary CSRF-checked form that opens the importer's preview, where the
# person still checks the job before it is saved.
@csrf_exempt
@require_POST
def share(request: HttpRequest) -> HttpResponse:
    shared = {
        name: request.POST.get(name, "").replace("\x00", "")[:MAX_SHARED_CHARS]
        for name in ("title", "text", "url")
    }
    link = _shared_link(shared["url"], shared["text"])
    text = "\n\n".join(v for v in (shared["title"], shared["text"]) if v.strip()).strip()
    response = render(
        request,
        "importer/share.html",
        {"link": link, "text": text, "title": shared["title"]},
        status=HTTPStatus.OK if (link or text) else HTTPStatus.BAD_REQUEST,
    )
    response["Cache-Control"] = "no-store"
    return response
