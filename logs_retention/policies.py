"""The retention policy registry: the single source for the purge jobs and for the notice.

Windows come from settings (RETENTION_*_DAYS), read when asked, never at import time, with
defaults that match section 6 of the privacy notice.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings

ANONYMISE = "anonymise"
DELETE = "delete"


@dataclass(frozen=True)
class Policy:
    name: str
    covers: str
    action: str
    window: timedelta
    batch_size: int
    # Which figure of the notice this window backs: "account", "logs" or "supporting".
    notice_group: str

    @property
    def window_display(self) -> str:
        return humanize_window(self.window)


# name -> (what it covers, action, setting, default days, notice group)
_REGISTRY: list[tuple[str, str, str, str, int, str]] = [
    ("request_logs_anonymise", "Request logs: drop the user id, truncate the IP address and "
     "drop the raw browser string", ANONYMISE, "RETENTION_REQUEST_LOG_ANONYMISE_DAYS", 90, "logs"),
    ("request_logs_delete", "Request logs", DELETE, "RETENTION_REQUEST_LOG_DELETE_DAYS", 365,
     "logs"),
    ("security_events", "Security event log", DELETE, "RETENTION_SECURITY_EVENT_DAYS", 365, "logs"),
    ("visitor_consent", "Consent records of visitors without an account", DELETE,
     "RETENTION_VISITOR_CONSENT_DAYS", 365, "logs"),
    ("account_consent", "Consent records of a closed account, counted from its closure", DELETE,
     "RETENTION_ACCOUNT_CONSENT_DAYS", 730, "account"),
    ("deletion_receipts", "Deletion receipts and records of closed accounts", DELETE,
     "RETENTION_CLOSED_ACCOUNT_DAYS", 730, "account"),
    ("unverified_accounts", "Accounts whose email address was never verified", DELETE,
     "RETENTION_UNVERIFIED_ACCOUNT_DAYS", 7, "account"),
    ("inactive_accounts", "Accounts without a sign-in (a warning email goes out 30 days before)",
     DELETE, "RETENTION_INACTIVE_ACCOUNT_DAYS", 730, "account"),
    ("export_files", "Data export files", DELETE, "RETENTION_EXPORT_FILE_DAYS", 7, "supporting"),
    ("auth_leftovers", "Expired sessions, email confirmations, password reset keys and "
     "session records (which hold IP address and browser)", DELETE,
     "RETENTION_SESSION_RECORD_DAYS", 30, "supporting"),
    ("admin_log_entries", "Staff console change history", DELETE, "RETENTION_ADMIN_LOG_DAYS", 365,
     "supporting"),
    ("archived_jobs", "Archived jobs and their stage history, counted from archiving", DELETE,
     "RETENTION_ARCHIVED_JOB_DAYS", 730, "account"),
]  # fmt: skip


def get_policies() -> list[Policy]:
    batch_size = getattr(settings, "RETENTION_BATCH_SIZE", 20_000)
    return [
        Policy(
            name=name,
            covers=covers,
            action=action,
            window=timedelta(days=getattr(settings, setting, default)),
            batch_size=batch_size,
            notice_group=group,
        )
        for name, covers, action, setting, default, group in _REGISTRY
    ]


def get_policy(name: str) -> Policy:
    for policy in get_policies():
        if policy.name == name:
            return policy
    raise KeyError(name)


def humanize_window(window: timedelta) -> str:
    days = window.days
    if days >= 365 and days % 365 == 0:
        return f"{days // 365 * 12} months"
    if days == 1:
        return "1 day"
    return f"{days} days"
