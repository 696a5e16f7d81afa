"""Staff roles: Django groups whose permissions are defined here, in code, and nowhere else.

A data migration creates the groups; `roles_sync` runs again after every `migrate`, so the
permissions of apps that are added later are attached too, and a permission removed here is
removed from the group. Superusers are kept for emergencies only (see docs/STAFF.md).
"""

SUPPORT = "Support"
PRIVACY_OFFICER = "Privacy officer"
OPS = "Ops"

# Support finds users and sees their state, location, verification and consent history (all
# read-only), and handles data-subject requests, including those sent by email: restricting,
# lifting a restriction, recording an objection and correcting the address, on a verified
# request. Never password hashes, raw IPs, consent or audit edits, the notice, or retention.
# Support messages about privacy go to the privacy officer.
SUPPORT_PERMISSIONS: tuple[str, ...] = (
    "accounts.view_user",
    "accounts.view_knowncountry",
    "consent.view_consentrecord",
    "rights.view_datasubjectrequest",
    "rights.add_datasubjectrequest",
    "rights.change_datasubjectrequest",
    "rights.verify_request",
    "rights.run_export",
    "rights.run_erasure",
    "rights.mark_minor",
    "rights.restrict_processing",
    "rights.lift_restriction",
    "rights.record_objection",
    "rights.correct_email",
    "rights.view_dataexport",
    "rights.view_deletionreceipt",
    "support.view_supportmessage",
    "support.reply_supportmessage",
)

PRIVACY_OFFICER_PERMISSIONS: tuple[str, ...] = (
    *SUPPORT_PERMISSIONS,
    "privacy.view_noticeversion",
    "privacy.add_noticeversion",
    "privacy.change_noticeversion",
    "privacy.publish_noticeversion",
    "rights.place_legal_hold",
    "rights.lift_objection",
    "rights.extend_deadline",
    "rights.view_auditrecord",
    "rights.view_legalhold",
    "support.handle_privacy_message",
)

# Ops keeps the service running and never sees a user's personal data.
OPS_PERMISSIONS: tuple[str, ...] = (
    "logs_retention.view_retentionrun",
    "logs_retention.run_retention",
    "logs_retention.view_logcounter",
    "jobtrax.view_heartbeat",
)

ROLES: dict[str, tuple[str, ...]] = {
    SUPPORT: SUPPORT_PERMISSIONS,
    PRIVACY_OFFICER: PRIVACY_OFFICER_PERMISSIONS,
    OPS: OPS_PERMISSIONS,
}

# The names `create_staff --role` accepts.
ROLE_CHOICES: dict[str, str] = {"support": SUPPORT, "privacy": PRIVACY_OFFICER, "ops": OPS}


def _split(permission: str) -> tuple[str, str]:
    app_label, codename = permission.split(".", 1)
    return app_label, codename


def roles_sync(*, group_model=None, permission_model=None, using: str = "default") -> list[str]:
    """Create the role groups and give each exactly its permissions that exist so far.

    Takes the model classes so the data migration can pass its historical ones. Returns the
    permissions named here that do not exist (yet): an app that has not been migrated.
    """
    if group_model is None or permission_model is None:
        from django.contrib.auth.models import Group, Permission

        group_model, permission_model = Group, Permission
    wanted = {_split(name) for names in ROLES.values() for name in names}
    existing = {
        (app_label, codename): pk
        for pk, app_label, codename in permission_model.objects.using(using).values_list(
            "pk", "content_type__app_label", "codename"
        )
        if (app_label, codename) in wanted
    }
    for name, permissions in ROLES.items():
        group, _ = group_model.objects.using(using).get_or_create(name=name)
        ids = [existing[_split(p)] for p in permissions if _split(p) in existing]
        group.permissions.set(ids)
    return sorted(f"{a}.{c}" for a, c in wanted - existing.keys())
