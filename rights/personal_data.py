"""The personal data of data-subject rights, the accounts retention erases, and the eraser."""

from datetime import timedelta

from celery.schedules import crontab
from django.apps import apps
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce

from jobtrax import datamap
from jobtrax.datamap import Kind, Policy, Target
from logs_retention.models import InactivityWarning
from logs_retention.services import INACTIVITY_NOTICE_DAYS, inactivity_warning_send
from rights.export import work_dir_sweep
from rights.services import account_erase, export_file_drop


def _people(model):
    """Accounts retention may erase: never staff, whose accounts are managed by hand."""
    return model._base_manager.filter(is_staff=False, is_superuser=False)


def _unverified_accounts(model, cutoff, now):
    email_model = apps.get_model("account", "EmailAddress")
    verified = email_model.objects.filter(user=OuterRef("pk"), verified=True)
    return _people(model).filter(date_joined__lt=cutoff).filter(~Exists(verified))


def _last_active(queryset):
    return queryset.annotate(active_at=Coalesce(F("last_login"), F("date_joined")))


def _warned_since_active():
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


def _erase(pk, *, policy, now) -> bool:
    return bool(account_erase(user_id=pk, reason=f"retention:{policy.name}"))


def _warn(pk, *, policy, now) -> bool:
    return inactivity_warning_send(user_id=pk, now=now)


def _drop_export_file(pk, *, policy, now) -> bool:
    return export_file_drop(export_id=pk)


def _closed_requests(model, cutoff, now):
    closed = ("completed", "denied", "cancelled")
    return model._base_manager.filter(status__in=closed, completed_at__lt=cutoff)


def _audit_records(model, cutoff, now):
    # A record about a request stays while the request does; it goes with the first run after
    # the request's own retention ends (the request link is cleared then).
    return model._base_manager.filter(request__isnull=True, created_at__lt=cutoff)


datamap.register_kinds(
    Kind(
        name="requests",
        model="rights.DataSubjectRequest",
        title="Your privacy requests",
        purpose="Handle the rights you exercise, within the legal deadlines.",
        legal_basis=datamap.LEGAL,
        retention="data_subject_requests",
        source="Given by you",
        ccpa_category=datamap.IDENTIFIERS,
        fields=(
            "id",
            "kind",
            "channel",
            "regime",
            "status",
            "details",
            "subject_email",
            "received_at",
            "due_on",
            "acknowledge_by",
            "acknowledged_at",
            "verified_at",
            "verification_method",
            "extension",
            "extended_at",
            "extension_reason",
            "erase_after",
            "reported_minor",
            "completed_at",
            "denial_reason",
        ),
        # The eraser itself cuts the requests from the account, after writing the receipt.
        erase=datamap.BY_STEP,
        reduce={"subject_email": "blank", "details": "blank"},
    ),
    Kind(
        name="exports",
        model="rights.DataExport",
        title="Your data exports",
        purpose="Give you a copy of your data.",
        legal_basis=datamap.LEGAL,
        retention="export_files",
        source="Requested by you",
        ccpa_category=datamap.IDENTIFIERS,
        fields=("id", "status", "created_at", "ready_at", "expires_at", "downloaded_at"),
    ),
    Kind(
        name="legal_holds",
        model="rights.LegalHold",
        title="Legal holds",
        purpose="Keep data that the law requires us to keep.",
        legal_basis=datamap.LEGAL,
        retention="Until the legal obligation ends",
        source="Set by JobTrax staff",
        ccpa_category=datamap.IDENTIFIERS,
        exported=False,
        withheld_because="Information about legal holds may be withheld where the law allows.",
    ),
    Kind(
        name="staff_actions",
        model="rights.AuditRecord",
        title="Actions you took as staff",
        purpose="Account for every staff action on personal data.",
        legal_basis=datamap.LEGAL,
        retention="audit_records",
        source="Recorded by JobTrax",
        ccpa_category=datamap.PROFESSIONAL,
        user_fields=("actor",),
        fields=("created_at", "action", "request_id"),
        erase=datamap.DETACH,
    ),
    Kind(
        name="staff_console_history",
        model="admin.LogEntry",
        title="Changes you made in the staff console",
        purpose="Account for changes made by staff.",
        legal_basis=datamap.LEGITIMATE,
        retention="admin_log_entries",
        source="Recorded by JobTrax",
        ccpa_category=datamap.PROFESSIONAL,
        fields=("action_time", "content_type_id", "object_id", "action_flag"),
    ),
)

datamap.register_policies(
    Policy(
        name="deletion_receipts",
        covers="Deletion receipts and records of closed accounts",
        action=datamap.DELETE,
        setting="RETENTION_CLOSED_ACCOUNT_DAYS",
        default_days=730,
        notice_group="account",
        targets=(
            Target(
                "deletion receipts",
                "rights.DeletionReceipt",
                datamap.DELETE_ROWS,
                datamap.older("created_at"),
                order="created_at",
            ),
        ),
        schedule=crontab(minute=50, hour=3),
        schedule_note="daily at 03:50 UTC: delete deletion receipts past 24 months",
    ),
    Policy(
        name="unverified_accounts",
        covers="Accounts whose email address was never verified",
        action=datamap.DELETE,
        setting="RETENTION_UNVERIFIED_ACCOUNT_DAYS",
        default_days=7,
        notice_group="account",
        targets=(
            Target(
                "never-verified accounts",
                "accounts.User",
                datamap.EACH_ROW,
                _unverified_accounts,
                handle=_erase,
            ),
        ),
        schedule=crontab(minute=5),
        schedule_note="every hour at :05: erase accounts never verified within 7 days",
    ),
    Policy(
        name="inactive_accounts",
        covers="Accounts without a sign-in (a warning email goes out 30 days before)",
        action=datamap.DELETE,
        setting="RETENTION_INACTIVE_ACCOUNT_DAYS",
        default_days=730,
        minimum_days=60,
        notice_group="account",
        targets=(
            Target(
                "inactive accounts to warn",
                "accounts.User",
                datamap.EACH_ROW,
                _inactive_to_warn,
                handle=_warn,
                counts_as_deleted=False,
                done_note="{done} warning emails sent",
            ),
            Target(
                "inactive accounts to erase",
                "accounts.User",
                datamap.EACH_ROW,
                _inactive_to_erase,
                handle=_erase,
            ),
        ),
        schedule=crontab(minute=10, hour=4),
        schedule_note="daily at 04:10 UTC: warn accounts inactive 23 months, erase those warned "
        "30 days ago",
    ),
    Policy(
        name="export_files",
        covers="Data export files",
        action=datamap.DELETE,
        setting="RETENTION_EXPORT_FILE_DAYS",
        default_days=7,
        notice_group="supporting",
        targets=(
            Target(
                "export files",
                "rights.DataExport",
                datamap.EACH_ROW,
                _export_files,
                handle=_drop_export_file,
            ),
        ),
        schedule=crontab(minute=25),
        schedule_note="every hour at :25: delete data export files past 7 days (or their expiry)",
    ),
    Policy(
        name="export_workspace",
        covers="Unfinished data export builds: the files a stopped build left behind",
        action=datamap.DELETE,
        setting="RETENTION_EXPORT_WORK_DAYS",
        default_days=1,
        notice_group="supporting",
        targets=(Target("export build leftovers", "", datamap.SWEEP_FILES, sweep=work_dir_sweep),),
        schedule=crontab(minute=35),
        schedule_note="every hour at :35: delete what a stopped export build left, after a day",
    ),
    Policy(
        name="admin_log_entries",
        covers="Staff console change history",
        action=datamap.DELETE,
        setting="RETENTION_ADMIN_LOG_DAYS",
        default_days=365,
        notice_group="supporting",
        targets=(
            Target(
                "staff console history",
                "admin.LogEntry",
                datamap.DELETE_ROWS,
                datamap.older("action_time"),
            ),
        ),
        schedule=crontab(minute=30, hour=4),
        schedule_note="daily at 04:30 UTC: delete staff console history past 12 months",
    ),
)

# Data-subject requests are kept 24 months after they close: the CCPA regulations (11 CCR
# § 7101) ask for a record of each request and its answer for at least 24 months, and the same
# period lets us show a supervisory authority how a GDPR request was handled. The audit trail
# must outlive the requests it audits and need not outlive them: a record about a request goes
# with the first run after the request itself is deleted, so it outlives it by at most a day;
# records about no request (a staff member opening a user's page) are kept for the same 24
# months, the longest any request they could concern is kept.
datamap.register_policies(
    Policy(
        name="data_subject_requests",
        covers="Closed data-subject requests, counted from their closure",
        action=datamap.DELETE,
        setting="RETENTION_REQUEST_DAYS",
        default_days=730,
        notice_group="account",
        targets=(
            Target(
                "closed requests",
                "rights.DataSubjectRequest",
                datamap.DELETE_ROWS,
                _closed_requests,
            ),
        ),
        schedule=crontab(minute=40, hour=4),
        schedule_note="daily at 04:40 UTC: delete requests closed 24 months ago",
    ),
    Policy(
        name="audit_records",
        covers="The audit trail of staff actions, kept until the request it concerns is deleted",
        action=datamap.DELETE,
        setting="RETENTION_AUDIT_RECORD_DAYS",
        default_days=730,
        notice_group="account",
        targets=(
            Target(
                "audit records",
                "rights.AuditRecord",
                datamap.DELETE_ROWS,
                _audit_records,
                order="created_at",
            ),
        ),
        schedule=crontab(minute=50, hour=4),
        schedule_note="daily at 04:50 UTC: delete audit records past 24 months whose request "
        "is gone",
    ),
)
