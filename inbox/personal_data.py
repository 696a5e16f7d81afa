"""Forwarded emails' personal data: the forwarding address and the proposals. The emails
themselves are never stored."""

from celery.schedules import crontab

from jobtrax import datamap
from jobtrax.datamap import Kind, Policy, Target

datamap.register_kinds(
    Kind(
        name="forwarding_address",
        model="inbox.ForwardingAddress",
        title="Your address for forwarding emails",
        purpose="Receive the emails you choose to forward, only from your own verified "
        "addresses, so JobTrax can propose updates to your jobs.",
        legal_basis=datamap.CONTRACT,
        retention="Until you turn it off, replace it or delete your account",
        source="Created by JobTrax when you turn forwarding on",
        ccpa_category=datamap.IDENTIFIERS,
        fields=("local_part", "created_at", "day", "received_today"),
        erase=datamap.DELETE,
    ),
    Kind(
        name="email_proposals",
        model="inbox.Proposal",
        title="Updates proposed from your forwarded emails",
        purpose="Propose a stage change, an interview time or jobs to import from an email "
        "you forwarded; nothing changes until you confirm. The email itself is not kept: only "
        "the job, the proposed stage, the email's date, the sender's domain and up to 300 "
        "characters of its text.",
        legal_basis=datamap.CONTRACT,
        retention="email_proposals",
        source="Read from an email you forwarded, which is then forgotten",
        ccpa_category=datamap.PROFESSIONAL,
        erase=datamap.DELETE,
    ),
)

datamap.register_policies(
    Policy(
        name="email_proposals",  # {{ retention.email_proposals }} in the notice
        covers="Updates proposed from forwarded emails, never confirmed or dismissed",
        action=datamap.DELETE,
        setting="RETENTION_EMAIL_PROPOSAL_DAYS",
        default_days=14,
        notice_group="supporting",
        targets=(
            Target(
                "unconfirmed email proposals",
                "inbox.Proposal",
                datamap.DELETE_ROWS,
                datamap.older("created_at"),
                order="created_at",
            ),
        ),
        schedule=crontab(minute=25, hour="*"),
        schedule_note="hourly at :25: delete proposals from emails older than 14 days",
    ),
)
