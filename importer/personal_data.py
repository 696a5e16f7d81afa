"""The importer's personal data: previews of imports waiting to be confirmed, and captures
sent while signed out, waiting for their sender to sign in."""

from datetime import timedelta

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


# A capture sent while signed out is held this long for its sender to sign in or sign up.
CAPTURE_HOLD = timedelta(hours=1)


def _held_too_long(model, cutoff, now):
    # An hour, whatever the day-based setting says: the setting only bounds it from outside.
    return model._base_manager.filter(created_at__lt=max(cutoff, now - CAPTURE_HOLD))


datamap.register_policies(
    Policy(
        name="pending_captures",
        covers="Bookmarklet captures sent while signed out, waiting for the sender to sign in",
        action=datamap.DELETE,
        setting="RETENTION_PENDING_CAPTURE_DAYS",
        default_days=1,
        notice_group="supporting",
        targets=(
            Target(
                "captures waiting for a sign-in",
                "importer.PendingCapture",
                datamap.DELETE_ROWS,
                _held_too_long,
                order="created_at",
            ),
        ),
        schedule=crontab(minute="*/10"),
        schedule_note="every 10 minutes: delete signed-out captures older than an hour",
    ),
)
