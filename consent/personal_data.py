"""The personal data the consent app holds, how long it keeps it, and how erasure treats it."""

from celery.schedules import crontab

from consent.services import consent_detach_account
from jobtrax import datamap
from jobtrax.datamap import Kind, Policy, Target


def _visitor_records(model, cutoff, now):
    return model._base_manager.filter(
        user__isnull=True, account_closed_at__isnull=True, created_at__lt=cutoff
    )


datamap.register_kinds(
    Kind(
        name="consent_records",
        model="consent.ConsentRecord",
        title="Consent choices and their history",
        purpose="Prove which choices you made about cookies and marketing.",
        legal_basis=datamap.LEGAL,
        retention="account_consent",
        source="Given by you (or your browser's Global Privacy Control signal)",
        ccpa_category=datamap.NETWORK_ACTIVITY,
        exclude=("id", "browser_id", "reference", "account_closed_at"),
        # Consent proof stays for its own window, cut from the account (consent_detach_account).
        erase=datamap.BY_STEP,
    ),
    Kind(
        name="marketing_emails",
        model="consent.CampaignDelivery",
        title="Marketing emails sent to you",
        purpose="Send news only once, and only with your consent.",
        legal_basis=datamap.CONSENT,
        retention="Until you delete your account",
        source="Recorded by JobTrax",
        ccpa_category=datamap.COMMERCIAL,
        fields=("campaign_id", "sent_at"),
        recipients=(datamap.HOSTING, datamap.EMAIL),
    ),
    Kind(
        name="marketing_campaigns_written",
        model="consent.MarketingCampaign",
        title="Marketing campaigns you wrote as staff",
        purpose="Account for who sent which campaign.",
        legal_basis=datamap.LEGITIMATE,
        retention="Kept; your link to it is removed when your account goes",
        source="Recorded by JobTrax",
        ccpa_category=datamap.PROFESSIONAL,
        user_fields=("created_by",),
        fields=("id", "subject", "created_at"),
        erase=datamap.DETACH,
    ),
)

datamap.register_policies(
    Policy(
        name="visitor_consent",
        covers="Consent records of visitors without an account",
        action=datamap.DELETE,
        setting="RETENTION_VISITOR_CONSENT_DAYS",
        default_days=365,
        notice_group="logs",
        targets=(
            Target(
                "visitor consent records",
                "consent.ConsentRecord",
                datamap.DELETE_ROWS,
                _visitor_records,
                order="created_at",
            ),
        ),
        schedule=crontab(minute=30, hour=3),
        schedule_note="daily at 03:30 UTC: delete visitors' consent records past 12 months",
    ),
    Policy(
        name="account_consent",
        covers="Consent records of a closed account, counted from its closure",
        action=datamap.DELETE,
        setting="RETENTION_ACCOUNT_CONSENT_DAYS",
        default_days=730,
        notice_group="account",
        targets=(
            Target(
                "consent records of closed accounts",
                "consent.ConsentRecord",
                datamap.DELETE_ROWS,
                datamap.older("account_closed_at"),
            ),
        ),
        schedule=crontab(minute=40, hour=3),
        schedule_note="daily at 03:40 UTC: delete consent records of accounts closed 24 months ago",
    ),
)

datamap.erase_step("consent_detach_account", consent_detach_account, order=10)
