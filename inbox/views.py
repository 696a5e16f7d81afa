from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from importer.models import ImportPreview
from inbox import services
from inbox.forms import NewJobForm, PickJobForm
from inbox.models import ForwardingAddress, Proposal
from jobs.models import Job
from jobs.services import DuplicateJob
from jobtrax import datamap


@login_required
@require_http_methods(["GET", "POST"])
def forward(request: HttpRequest) -> HttpResponse:
    """The "Forward emails" page: the address, copy it, replace it or turn it off."""
    if request.method == "POST":
        if not services.enabled():
            return redirect("inbox:forward")
        action = request.POST.get("action", "")
        if action == "enable":
            services.address_enable(user=request.user)
            messages.success(request, "Your forwarding address is ready.")
        elif action == "replace":
            services.address_replace(user=request.user)
            messages.success(request, "A new address: the old one no longer works.")
        elif action == "disable":
            services.address_disable(user=request.user)
            messages.success(request, "Forwarding is off: the address no longer works.")
        else:
            messages.error(request, "Choose what to do with your forwarding address.")
            return redirect("inbox:forward")
        return redirect("inbox:forward")
    return render(
        request,
        "inbox/forward.html",
        {
            "enabled": services.enabled(),
            "address": ForwardingAddress.objects.filter(user=request.user).first(),
            "window": datamap.humanize_window(datamap.policy("email_proposals").window),
            "pending": Proposal.objects.filter(user=request.user).count(),
            "daily_limit": settings.INBOUND_EMAIL_DAILY_LIMIT,
        },
    )


def _jobs(request: HttpRequest):
    return Job.objects.filter(user=request.user, archived_at__isnull=True).order_by("title")


@login_required
@require_http_methods(["GET"])
def review(request: HttpRequest) -> HttpResponse:
    proposals = list(
        Proposal.objects.filter(user=request.user).select_related("job").order_by("-created_at")
    )
    jobs = list(_jobs(request)[:500])
    previews = set(
        ImportPreview.objects.filter(
            owner=request.user, pk__in=[p.preview_id for p in proposals if p.preview_id]
        ).values_list("pk", flat=True)
    )
    for proposal in proposals:
        proposal.preview_gone = bool(proposal.preview_id) and proposal.preview_id not in previews
        if proposal.job is None and not proposal.preview_id:
            proposal.new_form = NewJobForm(
                initial={"title": proposal.title, "company": proposal.company},
                prefix=f"p{proposal.pk}",
            )
            proposal.pick_form = PickJobForm(jobs=jobs, prefix=f"p{proposal.pk}") if jobs else None
    return render(
        request,
        "inbox/review.html",
        {
            "proposals": proposals,
            "window": datamap.humanize_window(datamap.policy("email_proposals").window),
        },
    )


def _own(request: HttpRequest, pk: int) -> Proposal:
    return get_object_or_404(Proposal, pk=pk, user=request.user)


def _back(request: HttpRequest, proposal_job_id: int | None) -> HttpResponse:
    if request.POST.get("back") == "job" and proposal_job_id:
        return redirect("jobs:detail", pk=proposal_job_id)
    return redirect("inbox:review")


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _own(request, pk)
    job_id = proposal.job_id
    if proposal.job is None:
        form = PickJobForm(request.POST, jobs=_jobs(request), prefix=f"p{proposal.pk}")
        if not form.is_valid():
            messages.error(request, "Choose one of your jobs.")
            return redirect("inbox:review")
        job = get_object_or_404(Job, pk=form.cleaned_data["job"], user=request.user)
        services.proposal_confirm(proposal=proposal, job=job)
        job_id = job.pk
    else:
        services.proposal_confirm(proposal=proposal)
    messages.success(request, "Done: the job is updated.")
    return (
        redirect("jobs:detail", pk=job_id)
        if request.POST.get("back") == "job"
        else _back(request, job_id)
    )


@login_required
@require_POST
def create_job(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _own(request, pk)
    form = NewJobForm(request.POST, prefix=f"p{proposal.pk}")
    if not form.is_valid():
        messages.error(request, "A job needs a title.")
        return redirect("inbox:review")
    try:
        job = services.proposal_create_job(
            proposal=proposal,
            title=form.cleaned_data["title"],
            company=form.cleaned_data["company"],
        )
    except DuplicateJob as exc:
        job = services.proposal_confirm(proposal=proposal, job=exc.existing)
    messages.success(request, "The job is on your board.")
    return redirect("jobs:detail", pk=job.pk)


@login_required
@require_POST
def dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _own(request, pk)
    job_id = proposal.job_id
    services.proposal_dismiss(proposal=proposal)
    messages.success(request, "Dismissed: nothing changed.")
    return _back(request, job_id)
