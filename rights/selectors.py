"""Reads for the "Your data" page: everything stored about one account, live."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min
from django.utils.html import format_html_join

from consent.models import ConsentRecord
from consent.services import consent_state
from jobtrax import datamap
from jobtrax.cache import memoised
from rights import registry


@dataclass
class LogClass:
    title: str
    count: int
    oldest: datetime | None
    # (what happens, when it happens to the oldest entry)
    milestones: list[tuple[str, datetime]]


def _policy_windows() -> dict:
    return {policy.name: policy for policy in datamap.policies()}


def log_summary(user) -> list[LogClass]:
    """How many entries of each log class, the oldest, and when each will be anonymised or
    deleted, from the retention policy registry."""
    policies = _policy_windows()
    plan = [
        ("logs_retention.RequestLog", "Request logs", [
            ("anonymised (cut from your account, address shortened)", "request_logs_anonymise"),
            ("deleted", "request_logs_delete"),
        ]),
        ("logs_retention.SecurityEvent", "Security events", [("deleted", "security_events")]),
    ]  # fmt: skip
    kinds = {kind.model: kind for kind in registry.installed_kinds()}
    summary = []
    for label, title, steps in plan:
        kind = kinds.get(label)
        if kind is None:
            continue
        stats = kind.queryset_for(user.pk).aggregate(count=Count("pk"), oldest=Min("created_at"))
        milestones = []
        if stats["oldest"] is not None:
            for what, name in steps:
                if name in policies:
                    milestones.append((what, stats["oldest"] + policies[name].window))
        summary.append(LogClass(title, stats["count"], stats["oldest"], milestones))
    return summary


def consent_summary(user) -> dict:
    """Current consent choices and their history."""
    return {
        "state": consent_state(user=user),
        "history": list(ConsentRecord.objects.filter(user=user).order_by("-created_at")[:50]),
    }


def requests_of(user):
    from rights.models import DataSubjectRequest

    return DataSubjectRequest.objects.filter(user=user).order_by("-received_at")


def exports_of(user):
    from rights.models import DataExport

    return DataExport.objects.filter(user=user).order_by("-created_at")[:5]


# The declarations and their retention windows come from the code and the settings: the table
# of what is kept is the same for every account, made once per process (forgotten when a
# setting changes, see jobtrax.cache).
KINDS_SECONDS = 3600.0


def _kinds() -> tuple[list[dict], str]:
    rows = [
        {"kind": kind, "retention": registry.retention_display(kind)}
        for kind in registry.installed_kinds()
    ]
    html = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (row["kind"].title, row["kind"].purpose, row["kind"].legal_basis, row["retention"])
            for row in rows
        ),
    )
    return rows, html


def kinds_fingerprint() -> str:
    """A short digest of the table of what we keep: it changes with the settings and the
    code, so a cached "Your data" made before a deploy is not served after it."""
    import hashlib

    def digest() -> str:
        _, html = memoised("rights:kinds", _kinds, seconds=KINDS_SECONDS)
        return hashlib.sha256(str(html).encode()).hexdigest()[:16]

    return memoised("rights:kinds-fingerprint", digest, seconds=KINDS_SECONDS)


def data_overview(user, *, with_logs: bool = True) -> dict:
    from allauth.account.models import EmailAddress

    from rights.services import legal_hold_active

    overview = {
        "subject": user,
        "emails": EmailAddress.objects.filter(user=user).order_by("-primary", "email"),
        "consent_summary": consent_summary(user),
        "requests": requests_of(user),
        "exports": exports_of(user),
        "restricted": user.processing_restricted,
        "held": legal_hold_active(user_id=user.pk),
    }
    if with_logs:
        overview["logs"] = log_summary(user)
    overview["kinds"], overview["kinds_html"] = memoised(
        "rights:kinds", _kinds, seconds=KINDS_SECONDS
    )
    return overview
