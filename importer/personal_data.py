"""The importer's personal data: previews of imports waiting to be confirmed."""

from celery.schedules import crontab

from jobtrax import datamap
from jobtrax.datamap import Kind, Policy, Target

datamap.register_kinds(
    Kind(
        name="import_previews",
        model="importer.ImportPreview",
        title="Job imports waiting for you to check them",
        purpose="Show you what an import found, so you can check it before it becomes a job.",
        legal_basis=datamap.CONTRACT,
        retention="import_previews",
        source="A link or page you gave us, or what the bookmarklet sent from the page you were on",
        ccpa_category=datamap.PROFESSIONAL,
        user_fields=("owner",),
        fields=("id", "method", "status", "link", "postings", "error", "created_at"),
        erase=datamap.DELETE,
    ),
)

datamap.register_policies(
    Policy(
        name="import_previews",  # {{ retention.import_previews }} in the notice
        covers="Job imports never confirmed or discarded",
        action=datamap.DELETE,
        setting="RETENTION_IMPORT_PREVIEW_DAYS",
        default_days=1,
        notice_group="supporting",
        targets=(
            Target(
                "unconfirmed import previews",
                "importer.ImportPreview",
                datamap.DELETE_ROWS,
                datamap.older("created_at"),
                order="created_at",
            ),
        ),
        schedule=crontab(minute="*/10"),
        schedule_note="every 10 minutes: delete job imports older than a day",
    ),
)
