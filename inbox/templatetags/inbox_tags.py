from django import template

register = template.Library()


@register.inclusion_tag("inbox/_banner.html")
def email_updates_banner(user) -> dict:
    """On the board: "2 updates from your emails", linking to the review page."""
    from inbox.models import Proposal

    return {"count": Proposal.objects.filter(user=user).count()}


@register.inclusion_tag("inbox/_job_proposals.html", takes_context=True)
def job_proposals(context, job) -> dict:
    """On a job's page: the updates proposed for it, to confirm or dismiss."""
    from inbox.models import Proposal

    return {
        "proposals": list(Proposal.objects.filter(user_id=job.user_id, job=job)),
        "job": job,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("inbox/_your_data.html")
def inbox_data_panel(subject, staff_view: bool = False) -> dict:
    """Forwarded emails on "Your data": the address, the proposals and when they go."""
    from django.db.models import Min

    from inbox.models import ForwardingAddress, Proposal
    from jobtrax import datamap

    window = datamap.policy("email_proposals").window
    proposals = Proposal.objects.filter(user=subject).aggregate(oldest=Min("created_at"))
    return {
        "address": ForwardingAddress.objects.filter(user=subject).first(),
        "count": Proposal.objects.filter(user=subject).count(),
        "next_purge": proposals["oldest"] + window if proposals["oldest"] else None,
        "window": datamap.humanize_window(window),
        "staff_view": staff_view,
    }
