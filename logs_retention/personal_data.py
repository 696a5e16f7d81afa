"""The personal data the logs_retention app holds, and how long it keeps it."""

from celery.schedules import crontab

from jobtrax import datamap
from jobtrax.datamap import Kind, Policy, Target


def _request_logs_to_anonymise(model, cutoff, now):
    return model._base_manager.filter(created_at__lt=cutoff, anonymised=False)


def _anonymised_values(now):
    return {"user": None, "ip": None, "anonymised": True}


datamap.register_kinds(
    Kind(
        name="request_logs",
        model="logs_retention.RequestLog",
        title="Request logs",
        purpose="Keep JobTrax secure and working; diagnose errors and performance issues.",
        legal_basis=datamap.LEGITIMATE,
        retention="request_logs_delete",
        source="Collected automatically from your browser (IP address, browser type, OS, device)",
        ccpa_category=datamap.NETWORK_ACTIVITY,
        ccpa_also=(datamap.IDENTIFIERS,),  # the IP address, until anonymised
        recipients=(datamap.HOSTING, datamap.MONITORING),
        exclude=("id", "ip_network", "anonymised"),
        erase=datamap.DETACH,
        # Like the anonymisation job: the /24 or /48 network (ip_network) stays, the address goes.
        reduce={"ip": "null", "browser_major": "blank", "anonymised": "true"},
        changes_pages=False,
    ),
    Kind(
        name="security_events",
        model="logs_retention.SecurityEvent",
        title="Security events",
        purpose="Detect and prevent abuse of your account.",
        legal_basis=datamap.LEGITIMATE,
        retention="security_events",
        source="Recorded by JobTrax when you sign in or change security settings",
        ccpa_category=datamap.NETWORK_ACTIVITY,
        ccpa_also=(datamap.IDENTIFIERS, datamap.GEOLOCATION),  # the IP address and its country
        exclude=("id",),
        erase=datamap.DETACH,
        reduce={"ip": "ip"},
        changes_pages=False,
    ),
    Kind(
        name="inactivity_warnings",
        model="logs_retention.InactivityWarning",
        title="Inactivity warnings",
        purpose="Warn you before an inactive account is erased.",
        legal_basis=datamap.LEGITIMATE,
        retention="Until your next sign-in",
        source="Recorded by JobTrax",
        ccpa_category=datamap.NETWORK_ACTIVITY,
        fields=("sent_at",),
    ),
)

datamap.register_policies(
    Policy(
        name="request_logs_anonymise",
        covers="Request logs: drop the user id, truncate the IP address and drop the raw "
        "browser string",
        action=datamap.ANONYMISE,
        setting="RETENTION_REQUEST_LOG_ANONYMISE_DAYS",
        default_days=90,
        notice_group="logs",
        targets=(
            Target(
                "request logs",
                "logs_retention.RequestLog",
                datamap.ANONYMISE_ROWS,
                _request_logs_to_anonymise,
                _anonymised_values,
                order="created_at",
            ),
        ),
        schedule=crontab(minute=10, hour=3),
        schedule_note="daily at 03:10 UTC: anonymise request logs past 90 days",
    ),
    Policy(
        name="request_logs_delete",
        covers="Request logs",
        action=datamap.DELETE,
        setting="RETENTION_REQUEST_LOG_DELETE_DAYS",
        default_days=365,
        notice_group="logs",
        targets=(
            Target(
                "request logs",
                "logs_retention.RequestLog",
                datamap.DELETE_ROWS,
                datamap.older("created_at"),
                order="created_at",
            ),
        ),
        schedule=crontab(minute=0, hour=3),
        schedule_note="daily at 03:00 UTC: delete request logs past 12 months (before "
        "anonymising, to skip them)",
    ),
    Policy(
        name="security_events",
        covers="Security event log",
        action=datamap.DELETE,
        setting="RETENTION_SECURITY_EVENT_DAYS",
        default_days=365,
        notice_group="logs",
        targets=(
            Target(
                "security events",
                "logs_retention.SecurityEvent",
                datamap.DELETE_ROWS,
                datamap.older("created_at"),
                order="created_at",
            ),
        ),
        schedule=crontab(minute=20, hour=3),
        schedule_note="daily at 03:20 UTC: delete security events past 12 months",
    ),
)
