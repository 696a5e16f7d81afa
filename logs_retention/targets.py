"""What each retention policy touches: the rows due at a cutoff, and what happens to them.

Models of other apps are looked up lazily by label; a policy whose model is not installed (or
not yet shaped as expected) is a no-op whose run record says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps
from django.core.exceptions import FieldError
from django.db.models import Exists, F, Model, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

DELETE_ROWS = "delete"
ANONYMISE_ROWS = "anonymise"
ERASE_ACCOUNTS = "erase"
DROP_EXPORT_FILES = "export_files"
WARN_INACTIVE = "warn"

INACTIVITY_NOTICE_DAYS = 30


@dataclass(frozen=True)
class Target:
    label: str
    model: str  # "app_label.ModelName"
    kind: str
    due: Callable[[type[Model], datetime, datetime], QuerySet]
    values: Callable[[datetime], dict] | None = None
    # The indexed column batches follow (see logs_retention.batches), else the primary key.
    order: str = "pk"

    def model_class(self) -> type[Model] | None:
        try:
            return apps.get_model(self.model)
        except (LookupError, ValueError):
            return None

    def queryset(self, cutoff: datetime, now: datetime) -> QuerySet | None:
        """The rows due, or None when the model is missing or lacks the fields used."""
        model = self.model_class()
        if model is None:
            return None
        try:
            queryset = self.due(model, cutoff, now)
            str(queryset.query)  # resolves every field name now, not in the middle of a run
        except FieldError:
            return None
        return queryset


def _older(field: str) -> Callable[[type[Model], datetime, datetime], QuerySet]:
    return lambda model, cutoff, now: model._base_manager.filter(**{f"{field}__lt": cutoff})


def _request_logs_to_anonymise(model, cutoff, now):
    return model._base_manager.filter(created_at__lt=cutoff, anonymised=False)


def _anonymised_values(now: datetime) -> dict:
    return {"user": None, "ip": None, "anonymised": True}


def _people(model) -> QuerySet:
    """Accounts retention may erase: never staff, whose accounts are managed by hand."""
    return model._base_manager.filter(is_staff=False, is_superuser=False)


def _unverified_accounts(model, cutoff, now):
    email_model = apps.get_model("account", "EmailAddress")
    verified = email_model.objects.filter(user=OuterRef("pk"), verified=True)
    return _people(model).filter(date_joined__lt=cutoff).filter(~Exists(verified))


def _last_active(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(active_at=Coalesce(F("last_login"), F("date_joined")))


def _warned_since_active():
    from logs_retention.models import InactivityWarning

    return InactivityWarning.objects.filter(user=OuterRef("pk"), sent_at__gte=OuterRef("active_at"))


def _inactive_to_warn(model, cutoff, now):
    warn_before = cutoff + timedelta(days=INACTIVITY_NOTICE_DAYS)
    return (
        _last_active(_people(model))
        .filter(active_at__lt=warn_before)
        .filter(~Exists(_warned_since_active()))
    )


def _inactive_to_erase(model, cutoff, now):
    notice_ends = now - timedelta(days=INACTIVITY_NOTICE_DAYS)
    warned = _warned_since_active().filter(sent_at__lte=notice_ends)
    return _last_active(_people(model)).filter(active_at__lt=cutoff).filter(Exists(warned))


def _export_files(model, cutoff, now):
    return model._base_manager.filter(Q(created_at__lt=cutoff) | Q(expires_at__lt=now)).exclude(
        file=""
    )


def _expired_sessions(model, cutoff, now):
    return model._base_manager.filter(expire_date__lt=now)


def _old_confirmations(model, cutoff, now):
    return model._base_manager.filter(Q(sent__lt=cutoff) | Q(sent__isnull=True, created__lt=cutoff))


_USER = "accounts.User"

TARGETS: dict[str, list[Target]] = {
    "request_logs_anonymise": [
        Target(
            "request logs",
            "logs_retention.RequestLog",
            ANONYMISE_ROWS,
            _request_logs_to_anonymise,
            _anonymised_values,
            order="created_at",
        )
    ],
    "request_logs_delete": [
        Target(
            "request logs",
            "logs_retention.RequestLog",
            DELETE_ROWS,
            _older("created_at"),
            order="created_at",
        )
    ],
    "security_events": [
        Target(
            "security events",
            "logs_retention.SecurityEvent",
            DELETE_ROWS,
            _older("created_at"),
            order="created_at",
        )
    ],
    "visitor_consent": [
        Target(
            "visitor consent records",
            "consent.ConsentRecord",
            DELETE_ROWS,
            lambda model, cutoff, now: model._base_manager.filter(
                user__isnull=True, account_closed_at__isnull=True, created_at__lt=cutoff
            ),
            order="created_at",
        )
    ],
    "account_consent": [
        Target(
            "consent records of closed accounts",
            "consent.ConsentRecord",
            DELETE_ROWS,
            _older("account_closed_at"),
        )
    ],
    "deletion_receipts": [
        Target(
            "deletion receipts",
            "rights.DeletionReceipt",
            DELETE_ROWS,
            _older("created_at"),
            order="created_at",
        )
    ],
    "unverified_accounts": [
        Target("never-verified accounts", _USER, ERASE_ACCOUNTS, _unverified_accounts)
    ],
    "inactive_accounts": [
        Target("inactive accounts to warn", _USER, WARN_INACTIVE, _inactive_to_warn),
        Target("inactive accounts to erase", _USER, ERASE_ACCOUNTS, _inactive_to_erase),
    ],
    "export_files": [
        Target("export files", "rights.DataExport", DROP_EXPORT_FILES, _export_files)
    ],
    "auth_leftovers": [
        Target(
            "expired sessions",
            "sessions.Session",
            DELETE_ROWS,
            _expired_sessions,
            order="expire_date",
        ),
        Target(
            "email confirmations", "account.EmailConfirmation", DELETE_ROWS, _old_confirmations
        ),
        Target(
            "user session records",
            "usersessions.UserSession",
            DELETE_ROWS,
            _older("last_seen_at"),
        ),
    ],
    "admin_log_entries": [
        Target("staff console history", "admin.LogEntry", DELETE_ROWS, _older("action_time"))
    ],
    "archived_jobs": [
        Target("archived jobs", "jobs.Job", DELETE_ROWS, _older("archived_at"))
    ],
}  # fmt: skip


def targets_for(policy_name: str) -> list[Target]:
    return TARGETS.get(policy_name, [])
