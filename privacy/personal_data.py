"""The personal data the privacy app holds about the notice shown to each account."""

from jobtrax import datamap
from jobtrax.datamap import Kind

datamap.register_kinds(
    Kind(
        name="notice_signup",
        model="privacy.NoticeSignup",
        title="Privacy notice shown at sign-up",
        purpose="Record which version of the privacy notice you were shown.",
        legal_basis=datamap.LEGAL,
        retention="Until you delete your account",
        source="Recorded by JobTrax at sign-up",
        fields=("version_id", "created_at"),
    ),
    Kind(
        name="notice_acknowledgements",
        model="privacy.NoticeAcknowledgement",
        title="Privacy notice changes you acknowledged",
        purpose="Record that you were told about a material change.",
        legal_basis=datamap.LEGAL,
        retention="Until you delete your account",
        source="Given by you",
        fields=("version_id", "acknowledged_at"),
    ),
    Kind(
        name="notice_emails",
        model="privacy.NoticeDelivery",
        title="Privacy notice change emails",
        purpose="Tell you about material changes, once.",
        legal_basis=datamap.LEGAL,
        retention="Until you delete your account",
        source="Recorded by JobTrax",
        fields=("version_id", "status", "claimed_at", "sent_at"),
        recipients=(datamap.HOSTING, datamap.EMAIL),
    ),
)
