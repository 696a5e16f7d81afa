"""Reads for the "Your data" page: everything stored about one account, live."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min

from consent.models import ConsentRecord
from consent.services import consent_state
from jobtrax import datamap
from privacy.rights import registry


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
    from privacy.rights.models import DataSubjectRequest

    return DataSubjectRequest.objects.filter(user=user).order_by("-received_at")


def exports_of(user):
    from privacy.rights.models import DataExport

    return DataExport.objects.filter(user=user).order_by("-created_at")[:5]


def data_overview(user) -> dict:
    from allauth.account.models import EmailAddress

    from privacy.rights.services import legal_hold_active

    return {
        "subject": user,
        "emails": EmailAddress.objects.filter(user=user).order_by("-primary", "email"),
        "consent_summary": consent_summary(user),
        "logs": log_summary(user),
        "requests": requests_of(user),
        "exports": exports_of(user),
        "restricted": user.processing_restricted,
        "held": legal_hold_active(user_id=user.pk),
        "kinds": [
            {"kind": kind, "retention": registry.retention_display(kind)}
            for kind in registry.installed_kinds()
        ],
    }
