"""The API's personal data: the access tokens a person made (never their secrets)."""

from celery.schedules import crontab
from django.db.models import Q

from jobtrax import datamap
from jobtrax.datamap import Kind, Policy, Target


def _ended_before(model, cutoff, now):
    """Tokens revoked, or expired, before the cutoff."""
    return model._base_manager.filter(Q(revoked_at__lt=cutoff) | Q(expires_at__lt=cutoff))


datamap.register_kinds(
    Kind(
        name="api_tokens",
        model="api.ApiToken",
        title="Connected apps and access tokens",
        purpose="Let the apps you connect (the browser extension, your scripts) reach your "
        "tracker, with the rights you gave them, until the token expires or you revoke it.",
        legal_basis=datamap.CONTRACT,
        retention="ended_api_tokens",
        source="Created by you on “Connected apps”; the day of last use recorded by JobTrax",
        ccpa_category=datamap.IDENTIFIERS,
        # Never the secret's hash: it is a credential, not information about the person.
        fields=(
            "id",
            "name",
            "client",
            "prefix",
            "scopes",
            "created_at",
            "expires_at",
            "last_used_on",
            "revoked_at",
        ),
        erase=datamap.DELETE,
    ),
)

datamap.register_policies(
    Policy(
        name="ended_api_tokens",  # {{ retention.ended_api_tokens }} in the notice
        covers="Access tokens revoked or expired, counted from their end",
        action=datamap.DELETE,
        setting="RETENTION_ENDED_API_TOKEN_DAYS",
        default_days=30,
        notice_group="supporting",
        targets=(
            Target(
                "revoked or expired access tokens",
                "api.ApiToken",
                datamap.DELETE_ROWS,
                _ended_before,
                order="pk",
            ),
        ),
        schedule=crontab(minute=25, hour=4),
        schedule_note="daily at 04:25 UTC: delete access tokens revoked or expired 30 days ago",
    ),
)
