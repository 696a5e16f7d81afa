"""The personal-data registry: every model and field that holds data about an account.

The export, the erasure, the "Your data" page and the README inside an export are all built
from this list. A test discovers by introspection every model with a field pointing to the user
model and fails if one is missing here.

Models of apps that may be absent are named by label and skipped when not installed.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.db import models

HOSTING = "Hosting provider (servers and databases)"
EMAIL = "Email delivery provider"
MONITORING = "Error tracking and performance monitoring (personal data scrubbed)"

CONTRACT = "Performance of a contract"
LEGITIMATE = "Legitimate interests (security, fraud prevention, troubleshooting)"
CONSENT = "Consent"
LEGAL = "Legal obligation"

# What the erasure does with rows of a kind.
DELETE = "delete"  # the rows go
DETACH = "detach"  # the rows stay for their retention window, cut from the account and reduced
CONSENT_DETACH = "consent_detach"  # consent proof stays, through consent_detach_account
ACCOUNT = "account"  # the user row itself, deleted last


@dataclass(frozen=True)
class Kind:
    name: str
    model: str  # "app_label.ModelName"
    title: str
    purpose: str
    legal_basis: str
    retention: str  # a retention policy name from logs_retention.policies, or plain words
    source: str
    user_fields: tuple[str, ...] = ("user",)
    # Exported fields; None exports every concrete field except the user links and `exclude`.
    fields: tuple[str, ...] | None = None
    exclude: tuple[str, ...] = ()
    recipients: tuple[str, ...] = (HOSTING,)
    erase: str = DELETE
    # Fields reduced when rows are detached: "ip" truncates the address, "blank" empties it,
    # "null" clears it, "true" sets a flag.
    reduce: dict[str, str] = field(default_factory=dict)
    exported: bool = True
    # Why a kind is not exported, said in the README (for example legal holds).
    withheld_because: str = ""

    def get_model(self) -> type[models.Model] | None:
        try:
            return apps.get_model(self.model)
        except (LookupError, ValueError):
            return None

    def export_fields(self) -> list[str]:
        model = self.get_model()
        if model is None:
            return []
        if self.fields is not None:
            return [name for name in self.fields if _has_field(model, name)]
        skip = set(self.user_fields) | set(self.exclude)
        return [f.attname for f in model._meta.concrete_fields if f.name not in skip]

    def queryset_for(self, user_id: int, user_field: str | None = None) -> models.QuerySet:
        model = self.get_model()
        assert model is not None  # noqa: S101 - callers skip absent models
        if self.erase == ACCOUNT:
            return model._default_manager.filter(pk=user_id)
        name = user_field or self.user_fields[0]
        return model._default_manager.filter(**{f"{name}_id": user_id})


def _has_field(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - FieldDoesNotExist, or an attname
        return any(f.attname == name for f in model._meta.concrete_fields)
    return True


REGISTRY: tuple[Kind, ...] = (
    Kind(
        name="account",
        model="accounts.User",
        title="Your account",
        purpose="Create and manage your account, sign you in, keep your localisation settings.",
        legal_basis=CONTRACT,
        retention="inactive_accounts",
        source="Given by you at sign-up; location chosen by you or inferred from your IP address",
        user_fields=(),
        fields=(
            "id",
            "email",
            "date_joined",
            "last_login",
            "is_active",
            "adult_confirmed_at",
            "country",
            "region",
            "location_source",
            "location_updated_at",
            "processing_restricted_at",
        ),
        recipients=(HOSTING, EMAIL),
        erase=ACCOUNT,
    ),
    Kind(
        name="email_addresses",
        model="account.EmailAddress",
        title="Email addresses",
        purpose="Sign you in and send you service and security messages.",
        legal_basis=CONTRACT,
        retention="Until you delete your account",
        source="Given by you",
        fields=("email", "verified", "primary"),
        recipients=(HOSTING, EMAIL),
    ),
    Kind(
        name="known_countries",
        model="accounts.KnownCountry",
        title="Countries you signed in from",
        purpose="Alert you to a sign-in from a new country.",
        legal_basis=LEGITIMATE,
        retention="Until you delete your account",
        source="Inferred from your IP address",
        fields=("country", "first_seen_at"),
    ),
    Kind(
        name="sessions",
        model="usersessions.UserSession",
        title="Signed-in sessions",
        purpose="Show you where you are signed in and let you sign out other sessions.",
        legal_basis=LEGITIMATE,
        retention="auth_leftovers",
        source="Collected automatically from your browser",
        fields=("created_at", "last_seen_at", "ip", "user_agent"),
    ),
    Kind(
        name="two_factor",
        model="mfa.Authenticator",
        title="Two-factor authentication",
        purpose="Protect your account with a second factor.",
        legal_basis=CONTRACT,
        retention="Until you remove it or delete your account",
        source="Set up by you",
        # The secrets themselves are never exported.
        fields=("type", "created_at", "last_used_at"),
    ),
    Kind(
        name="request_logs",
        model="logs_retention.RequestLog",
        title="Request logs",
        purpose="Keep JobTrax secure and working; diagnose errors and performance issues.",
        legal_basis=LEGITIMATE,
        retention="request_logs_delete",
        source="Collected automatically from your browser (IP address, browser type, OS, device)",
        recipients=(HOSTING, MONITORING),
        exclude=("id", "ip_network", "anonymised"),
        erase=DETACH,
        # Like the anonymisation job: the /24 or /48 network (ip_network) stays, the address goes.
        reduce={"ip": "null", "browser_major": "blank", "anonymised": "true"},
    ),
    Kind(
        name="security_events",
        model="logs_retention.SecurityEvent",
        title="Security events",
        purpose="Detect and prevent abuse of your account.",
        legal_basis=LEGITIMATE,
        retention="security_events",
        source="Recorded by JobTrax when you sign in or change security settings",
        exclude=("id",),
        erase=DETACH,
        reduce={"ip": "ip"},
    ),
    Kind(
        name="inactivity_warnings",
        model="logs_retention.InactivityWarning",
        title="Inactivity warnings",
        purpose="Warn you before an inactive account is erased.",
        legal_basis=LEGITIMATE,
        retention="Until your next sign-in",
        source="Recorded by JobTrax",
        fields=("sent_at",),
    ),
    Kind(
        name="consent_records",
        model="consent.ConsentRecord",
        title="Consent choices and their history",
        purpose="Prove which choices you made about cookies and marketing.",
        legal_basis=LEGAL,
        retention="account_consent",
        source="Given by you (or your browser's Global Privacy Control signal)",
        exclude=("id", "browser_id", "reference", "account_closed_at"),
        erase=CONSENT_DETACH,
    ),
    Kind(
        name="marketing_emails",
        model="consent.CampaignDelivery",
        title="Marketing emails sent to you",
        purpose="Send news only once, and only with your consent.",
        legal_basis=CONSENT,
        retention="Until you delete your account",
        source="Recorded by JobTrax",
        fields=("campaign_id", "sent_at"),
        recipients=(HOSTING, EMAIL),
    ),
    Kind(
        name="marketing_campaigns_written",
        model="consent.MarketingCampaign",
        title="Marketing campaigns you wrote as staff",
        purpose="Account for who sent which campaign.",
        legal_basis=LEGITIMATE,
        retention="Kept; your link to it is removed when your account goes",
        source="Recorded by JobTrax",
        user_fields=("created_by",),
        fields=("id", "subject", "created_at"),
        erase=DETACH,
    ),
    Kind(
        name="notice_signup",
        model="privacy.NoticeSignup",
        title="Privacy notice shown at sign-up",
        purpose="Record which version of the privacy notice you were shown.",
        legal_basis=LEGAL,
        retention="Until you delete your account",
        source="Recorded by JobTrax at sign-up",
        fields=("version_id", "created_at"),
    ),
    Kind(
        name="notice_acknowledgements",
        model="privacy.NoticeAcknowledgement",
        title="Privacy notice changes you acknowledged",
        purpose="Record that you were told about a material change.",
        legal_basis=LEGAL,
        retention="Until you delete your account",
        source="Given by you",
        fields=("version_id", "acknowledged_at"),
    ),
    Kind(
        name="notice_emails",
        model="privacy.NoticeDelivery",
        title="Privacy notice change emails",
        purpose="Tell you about material changes, once.",
        legal_basis=LEGAL,
        retention="Until you delete your account",
        source="Recorded by JobTrax",
        fields=("version_id", "status", "claimed_at", "sent_at"),
        recipients=(HOSTING, EMAIL),
    ),
    Kind(
        name="requests",
        model="rights.DataSubjectRequest",
        title="Your privacy requests",
        purpose="Handle the rights you exercise, within the legal deadlines.",
        legal_basis=LEGAL,
        retention="deletion_receipts",
        source="Given by you",
        fields=(
            "id",
            "kind",
            "channel",
            "regime",
            "status",
            "details",
            "received_at",
            "due_on",
            "extension_reason",
            "completed_at",
            "denial_reason",
        ),
        erase=DETACH,
        reduce={"subject_email": "blank", "details": "blank"},
    ),
    Kind(
        name="exports",
        model="rights.DataExport",
        title="Your data exports",
        purpose="Give you a copy of your data.",
        legal_basis=LEGAL,
        retention="export_files",
        source="Requested by you",
        fields=("id", "status", "created_at", "ready_at", "expires_at", "downloaded_at"),
    ),
    Kind(
        name="legal_holds",
        model="rights.LegalHold",
        title="Legal holds",
        purpose="Keep data that the law requires us to keep.",
        legal_basis=LEGAL,
        retention="Until the legal obligation ends",
        source="Set by JobTrax staff",
        exported=False,
        withheld_because="Information about legal holds may be withheld where the law allows.",
    ),
    Kind(
        name="staff_actions",
        model="rights.AuditRecord",
        title="Actions you took as staff",
        purpose="Account for every staff action on personal data.",
        legal_basis=LEGAL,
        retention="Kept as an audit trail; your link to it is removed when your account goes",
        source="Recorded by JobTrax",
        user_fields=("actor",),
        fields=("created_at", "action", "request_id"),
        erase=DETACH,
    ),
    Kind(
        name="staff_console_history",
        model="admin.LogEntry",
        title="Changes you made in the staff console",
        purpose="Account for changes made by staff.",
        legal_basis=LEGITIMATE,
        retention="admin_log_entries",
        source="Recorded by JobTrax",
        fields=("action_time", "content_type_id", "object_id", "action_flag"),
    ),
    Kind(
        name="jobs",
        model="jobs.Job",
        title="Jobs you track",
        purpose="Keep track of the jobs you are after: the postings you save, your notes, "
        "stages and dates; remind you of follow-ups.",
        legal_basis=CONTRACT,
        retention="archived_jobs",
        source="Given by you, or copied from a job posting you chose",
        exclude=("url_key",),
        recipients=(HOSTING, EMAIL),
    ),
    Kind(
        name="job_stage_changes",
        model="jobs.StageChange",
        title="Stage history of the jobs you track",
        purpose="Show each job's dated history, for you and for the records some "
        "unemployment offices ask for.",
        legal_basis=CONTRACT,
        retention="archived_jobs",
        source="Recorded by JobTrax when you move a job",
        recipients=(HOSTING, EMAIL),
    ),
    Kind(
        name="tracker_settings",
        model="jobs.TrackerSettings",
        title="Follow-up reminder setting",
        purpose="Email you on follow-up days, at most once a day, unless you turn it off.",
        legal_basis=CONTRACT,
        retention="Until you delete your account",
        source="Chosen by you; the day of the last reminder recorded by JobTrax",
        recipients=(HOSTING, EMAIL),
    ),
)


def installed_kinds() -> list[Kind]:
    return [kind for kind in REGISTRY if kind.get_model() is not None]


def covered_links() -> set[tuple[str, str]]:
    """(model label, field name) of every link to the user the registry knows about."""
    covered = set()
    for kind in installed_kinds():
        model = kind.get_model()
        for name in kind.user_fields:
            covered.add((model._meta.label_lower, name))
    return covered


def retention_display(kind: Kind) -> str:
    from logs_retention.policies import get_policy

    try:
        return get_policy(kind.retention).window_display
    except KeyError:
        return kind.retention
