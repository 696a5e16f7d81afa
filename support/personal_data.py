"""What the support app keeps about people, and for how long."""

from celery.schedules import crontab

from jobtrax import datamap
from jobtrax.datamap import Kind, Policy, Target
from rights.services import address_records_register
from support.services import support_messages_erase_for_email, support_messages_for_email

EXPORTED = (
    "id",
    "topic",
    "email",
    "message",
    "status",
    "created_at",
    "answered_at",
    "closed_at",
    "replies_sent",
    "last_reply_at",
)


def _closed_before(model, cutoff, now):
    return model._base_manager.filter(status="closed", closed_at__lt=cutoff)


datamap.register_kinds(
    Kind(
        name="support_messages",
        model="support.SupportMessage",
        title="Messages you sent us",
        purpose="Answer your questions and requests sent through the contact form.",
        legal_basis=datamap.LEGITIMATE,
        retention="support_messages",
        source="Given by you through the contact form",
        ccpa_category=datamap.IDENTIFIERS,
        fields=EXPORTED,
        recipients=(datamap.HOSTING, datamap.EMAIL),
    ),
)

datamap.register_policies(
    Policy(
        name="support_messages",
        covers="Messages sent through the contact form, counted from their closing",
        action=datamap.DELETE,
        setting="RETENTION_SUPPORT_MESSAGE_DAYS",
        default_days=365,
        notice_group="supporting",
        targets=(
            Target(
                "closed support messages",
                "support.SupportMessage",
                datamap.DELETE_ROWS,
                _closed_before,
            ),
        ),
        schedule=crontab(minute=0, hour=5),
        schedule_note="daily at 05:00 UTC: delete support messages closed 12 months ago",
    ),
)

# A visitor's messages are found by the address a verified request names.
address_records_register(
    name="support_messages",
    export=lambda address: list(
        support_messages_for_email(address).order_by("created_at").values(*EXPORTED)
    ),
    erase=lambda address: support_messages_erase_for_email(email=address),
)
