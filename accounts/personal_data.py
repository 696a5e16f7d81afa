"""The personal data the accounts app holds (with allauth's tables), and how long it keeps it."""

from celery.schedules import crontab
from django.db.models import Q

from jobtrax import datamap, pagecache
from jobtrax.datamap import Kind, Policy, Target


def _expired_sessions(model, cutoff, now):
    return model._base_manager.filter(expire_date__lt=now)


def _old_confirmations(model, cutoff, now):
    return model._base_manager.filter(Q(sent__lt=cutoff) | Q(sent__isnull=True, created__lt=cutoff))


datamap.register_kinds(
    Kind(
        name="account",
        model="accounts.User",
        title="Your account",
        purpose="Create and manage your account, sign you in, keep your localisation settings.",
        legal_basis=datamap.CONTRACT,
        retention="inactive_accounts",
        source="Given by you at sign-up; location chosen by you or inferred from your IP address",
        ccpa_category=datamap.IDENTIFIERS,
        # Its country and region are where the person is, generally.
        ccpa_also=(datamap.GEOLOCATION,),
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
            "region_was_cleared",
            "location_source",
            "location_updated_at",
            "processing_restricted_at",
            "processing_objected_at",
        ),
        recipients=(datamap.HOSTING, datamap.EMAIL),
        erase=datamap.ACCOUNT,
    ),
    Kind(
        name="email_addresses",
        model="account.EmailAddress",
        title="Email addresses",
        purpose="Sign you in and send you service and security messages.",
        legal_basis=datamap.CONTRACT,
        retention="Until you delete your account",
        source="Given by you",
        ccpa_category=datamap.IDENTIFIERS,
        fields=("email", "verified", "primary"),
        recipients=(datamap.HOSTING, datamap.EMAIL),
    ),
    Kind(
        name="known_countries",
        model="accounts.KnownCountry",
        title="Countries you signed in from",
        purpose="Alert you to a sign-in from a new country.",
        legal_basis=datamap.LEGITIMATE,
        retention="Until you delete your account",
        source="Inferred from your IP address",
        ccpa_category=datamap.GEOLOCATION,
        fields=("country", "first_seen_at"),
    ),
    Kind(
        name="sessions",
        model="usersessions.UserSession",
        title="Signed-in sessions",
        purpose="Show you where you are signed in and let you sign out other sessions.",
        legal_basis=datamap.LEGITIMATE,
        retention="auth_leftovers",
        source="Collected automatically from your browser",
        ccpa_category=datamap.NETWORK_ACTIVITY,
        # A truncated IP address, listed as an identifier all the same.
        ccpa_also=(datamap.IDENTIFIERS,),
        fields=("created_at", "last_seen_at", "ip", "user_agent"),
        changes_pages=False,
    ),
    Kind(
        name="two_factor",
        model="mfa.Authenticator",
        title="Two-factor authentication",
        purpose="Protect your account with a second factor.",
        legal_basis=datamap.CONTRACT,
        retention="Until you remove it or delete your account",
        source="Set up by you",
        ccpa_category=datamap.IDENTIFIERS,
        # The secrets themselves are never exported.
        fields=("type", "created_at", "last_used_at"),
    ),
)

datamap.register_policies(
    Policy(
        name="auth_leftovers",
        covers="Expired sessions, email confirmations, password reset keys and session records "
        "(which hold a truncated IP address and the browser, OS and device type)",
        action=datamap.DELETE,
        setting="RETENTION_SESSION_RECORD_DAYS",
        default_days=30,
        notice_group="supporting",
        targets=(
            Target(
                "expired sessions",
                "sessions.Session",
                datamap.DELETE_ROWS,
                _expired_sessions,
                order="expire_date",
            ),
            Target(
                "email confirmations",
                "account.EmailConfirmation",
                datamap.DELETE_ROWS,
                _old_confirmations,
            ),
            Target(
                "user session records",
                "usersessions.UserSession",
                datamap.DELETE_ROWS,
                datamap.older("last_seen_at"),
            ),
        ),
        schedule=crontab(minute=20, hour=4),
        schedule_note="daily at 04:20 UTC: expired sessions, old email confirmations, old "
        "user-session records",
    ),
)

# The cached parts of the account's pages (jobtrax.pagecache) go with the account.
datamap.erase_step("forget_cached_pages", pagecache.erase_account_pages, order=5)
