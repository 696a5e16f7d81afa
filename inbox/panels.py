"""Forwarded emails' panels on the tracker's pages and on "Your data" (jobtrax.panels): the
board's banner, a job's proposed updates, and what is kept."""

from django.db.models import Min
from django.template.loader import render_to_string

from inbox.models import ForwardingAddress, Proposal
from inbox.services import proposal_count
from jobtrax import datamap
from jobtrax.panels import register_panel


def email_updates_banner(context, *, user, **kwargs) -> str:
    """On the board: "2 updates from your emails", linking to the review page."""
    count = proposal_count(user.pk)
    return render_to_string("inbox/_banner.html", {"count": count}) if count else ""


def job_proposals(context, *, job, **kwargs) -> str:
    """On a job's page: the updates proposed for it, to confirm or dismiss."""
    proposals = list(Proposal.objects.filter(user_id=job.user_id, job=job))
    if not proposals:
        return ""
    return render_to_string(
        "inbox/_job_proposals.html",
        {"proposals": proposals, "job": job, "csrf_token": context.get("csrf_token")},
        request=context.get("request"),
    )


def inbox_data_panel(context, *, subject, staff_view: bool = False, **kwargs) -> str:
    """Forwarded emails on "Your data": the address, the proposals and when they go."""
    window = datamap.policy("email_proposals").window
    proposals = Proposal.objects.filter(user=subject).aggregate(oldest=Min("created_at"))
    return render_to_string(
        "inbox/_your_data.html",
        {
            "address": ForwardingAddress.objects.filter(user=subject).first(),
            "count": Proposal.objects.filter(user=subject).count(),
            "next_purge": proposals["oldest"] + window if proposals["oldest"] else None,
            "window": datamap.humanize_window(window),
            "staff_view": staff_view,
        },
        request=context.get("request"),
    )


def register() -> None:
    register_panel("board", "inbox", email_updates_banner)
    register_panel("job_page", "inbox", job_proposals)
    register_panel("your_data", "inbox", inbox_data_panel)
