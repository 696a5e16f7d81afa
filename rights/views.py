from http import HTTPStatus

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from jobtrax import pagecache
from jobtrax.datamap import humanize_window
from rights import selectors, services
from rights.forms import ConfirmDeletionForm, ObjectionForm, RightsRequestForm
from rights.models import DataExport, DataSubjectRequest

# "Your logs" counts entries that every request adds: counted once a minute at most.
LOG_COUNTS_SECONDS = 60


@login_required
def your_data(request: HttpRequest) -> HttpResponse:
    # Kept until the person's data changes (jobtrax.pagecache); the log counts grow with every
    # request, so they are counted apart, once a minute. The day and the table of what we keep
    # (settings, code) are part of the key: purge dates are relative, retention is configured.
    user = request.user

    def build(token: str) -> str:
        context = selectors.data_overview(user, with_logs=False)
        context.update(csrf_token=token, logs_slot=pagecache.slot("logs"))
        return render_to_string("rights/_data_sections.html", context, request=request)

    def logs() -> str:
        return render_to_string(
            "rights/_logs_section.html", {"logs": selectors.log_summary(user), "live": True}
        )

    variant = f"{timezone.localdate().isoformat()}:{selectors.kinds_fingerprint()}"
    return pagecache.framed(
        request,
        "data",
        "rights/your_data.html",
        build,
        variant=variant,
        slots={"logs": pagecache.Kept(logs, LOG_COUNTS_SECONDS)},
    )


@login_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
def export_request(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            export, created = services.export_request(user=request.user, request=request)
        except services.ExportTooSoon as exc:
            messages.error(request, str(exc))
            return redirect("rights:your_data")
        if not created:
            messages.info(request, "Your export is already being prepared.")
        return redirect("rights:export_detail", token=export.token)
    return render(
        request,
        "rights/export_request.html",
        {
            "link_lifetime": humanize_window(services.export_lifetime()),
            "interval_hours": int(services.export_interval().total_seconds() // 3600),
        },
    )


def _own_export(request: HttpRequest, token: str) -> DataExport:
    return get_object_or_404(DataExport, token=token, user=request.user)


@login_required
def export_detail(request: HttpRequest, token: str) -> HttpResponse:
    return render(request, "rights/export_detail.html", {"export": _own_export(request, token)})


@login_required
def export_download(request: HttpRequest, token: str) -> HttpResponse:
    export = _own_export(request, token)
    if not export.is_downloadable:
        status = HTTPStatus.GONE if export.status != DataExport.Status.PENDING else HTTPStatus.OK
        return render(request, "rights/export_detail.html", {"export": export}, status=status)
    services.export_record_download(export=export, request=request)
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"jobtrax-export-{export.created_at:%Y-%m-%d}.zip",
        content_type="application/zip",
    )


@login_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
def deletion_request(request: HttpRequest) -> HttpResponse:
    form = ConfirmDeletionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        dsr = services.deletion_start(user=request.user, request=request)
        logout(request)
        return render(request, "rights/deletion_started.html", {"dsr": dsr})
    held = services.legal_hold_active(user_id=request.user.pk)
    return render(
        request,
        "rights/deletion_request.html",
        {"form": form, "grace_days": services.deletion_grace().days, "held": held},
    )


@require_http_methods(["GET", "POST"])
def deletion_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """From the confirmation email. GET only shows a button, so link scanners cancel nothing."""
    return _emailed_link(
        request,
        token,
        act=services.deletion_cancel_by_token,
        ask="rights/deletion_cancel.html",
        done="rights/deletion_cancelled.html",
    )


@login_required
@require_POST
def restriction_request(request: HttpRequest) -> HttpResponse:
    if services.restriction_apply(user=request.user, request=request) is None:
        messages.info(request, "Processing of your data is already restricted.")
    else:
        messages.success(
            request,
            "Processing is restricted: no analytics, marketing, location inference or AI features "
            "use your data. To lift it, ask us with the request form or write to the privacy "
            "address.",
        )
    return redirect("rights:your_data")


@login_required
@require_http_methods(["GET", "POST"])
def objection_request(request: HttpRequest) -> HttpResponse:
    form = ObjectionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        dsr = services.objection_apply(user=request.user, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            "Your objection is recorded and applies now. We confirm it, or explain the grounds "
            f"we have to continue, by {dsr.due_on:%d %B %Y}.",
        )
        return redirect("rights:request_detail", pk=dsr.pk)
    status = HTTPStatus.BAD_REQUEST if request.method == "POST" else HTTPStatus.OK
    return render(
        request,
        "rights/objection_request.html",
        {"form": form, "objected_at": request.user.processing_objected_at},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    form = RightsRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        dsr = services.request_create(
            kind=form.cleaned_data["kind"],
            channel=DataSubjectRequest.Channel.SELF_SERVICE,
            user=request.user,
            details=form.cleaned_data["details"],
        )
        messages.success(request, f"Request received. We answer by {dsr.due_on:%d %B %Y}.")
        return redirect("rights:request_detail", pk=dsr.pk)
    return render(request, "rights/request_new.html", {"form": form})


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dsr = get_object_or_404(DataSubjectRequest, pk=pk, user=request.user)
    return render(
        request, "rights/request_detail.html", {"dsr": dsr, "today": timezone.localdate()}
    )


@require_http_methods(["GET", "POST"])
def request_verify(request: HttpRequest, token: str) -> HttpResponse:
    """The subject proves control of their address by following the emailed link."""
    return _emailed_link(
        request,
        token,
        act=services.request_verify_link,
        ask="rights/request_verify.html",
        done="rights/request_verified.html",
    )


def _emailed_link(request: HttpRequest, token: str, *, act, ask: str, done: str) -> HttpResponse:
    """A link from an email: GET only shows a button, so link scanners change nothing."""
    if request.method != "POST":
        return render(request, ask, {"token": token})
    try:
        act(token=token)
    except services.RightsError as exc:
        return render(
            request, "rights/link_invalid.html", {"error": str(exc)}, status=HTTPStatus.BAD_REQUEST
        )
    return render(request, done)
