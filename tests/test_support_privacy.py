"""Support messages are personal data like the rest: found by address for a visitor's request,
exported and erased with a signed-in sender's account."""

import json

import pytest
from django.core import mail
from django.urls import reverse

from rights import services
from rights.models import AuditRecord
from rights.services.requests import _mark_verified
from support.models import SupportMessage
from tests.conftest import make_user, staff_login


@pytest.fixture
def officer_client(client, db):
    from django.contrib.auth.models import Group

    from accounts.roles import PRIVACY_OFFICER, roles_sync

    roles_sync()
    officer = make_user("officer@example.com", is_staff=True)
    officer.groups.add(Group.objects.get(name=PRIVACY_OFFICER))
    staff_login(client, officer)
    return client


def _verified_request(kind: str, email: str):
    dsr = services.request_create(kind=kind, channel="email", subject_email=email)
    _mark_verified(dsr, "code")
    return dsr


def _act(client, dsr, action):
    url = reverse("admin:rights_datasubjectrequest_act", args=[dsr.pk])
    return client.post(url, {"action": action}, follow=True)


def _visitor_messages():
    SupportMessage.objects.create(topic="sales", email="Visitor@Example.org", message="Prices?")
    SupportMessage.objects.create(topic="privacy", email="visitor@example.org", message="Data?")
    SupportMessage.objects.create(topic="sales", email="other@example.org", message="Other.")


def test_it_sends_a_visitor_the_messages_kept_under_their_address(officer_client):
    _visitor_messages()
    dsr = _verified_request("access", "visitor@example.org")

    response = _act(officer_client, dsr, "run_export")

    assert "Done" in response.content.decode()
    sent = mail.outbox[-1]
    assert sent.to == ["visitor@example.org"]
    name, content, mimetype = sent.attachments[0]
    data = json.loads(content)
    assert sorted(m["message"] for m in data["support_messages"]) == ["Data?", "Prices?"]
    dsr.refresh_from_db()
    assert dsr.status == "completed"
    audit = AuditRecord.objects.get(action="ran_export")
    assert "@" not in audit.note


def test_it_erases_a_visitors_messages_found_by_address(officer_client):
    _visitor_messages()
    dsr = _verified_request("deletion", "visitor@example.org")

    _act(officer_client, dsr, "run_erasure")

    assert list(SupportMessage.objects.values_list("email", flat=True)) == ["other@example.org"]
    dsr.refresh_from_db()
    assert dsr.status == "completed"


@pytest.mark.parametrize(
    ("kind", "action"), [("access", "run_export"), ("deletion", "run_erasure")]
)
def test_it_reaches_no_message_before_the_address_is_verified(officer_client, kind, action):
    _visitor_messages()
    dsr = services.request_create(kind=kind, channel="email", subject_email="visitor@example.org")

    response = _act(officer_client, dsr, action)

    assert "Verify the subject" in response.content.decode()
    assert SupportMessage.objects.count() == 3
    assert mail.outbox == []


def test_it_erases_a_signed_in_senders_messages_with_the_account(user):
    SupportMessage.objects.create(topic="support", email=user.email, message="Hi", user=user)
    SupportMessage.objects.create(topic="support", email="bob@example.com", message="Hello")

    assert services.account_erase(user_id=user.pk, reason="test")

    assert list(SupportMessage.objects.values_list("email", flat=True)) == ["bob@example.com"]


def test_it_puts_a_signed_in_senders_messages_and_their_retention_in_the_export(
    user, other_user, settings, tmp_path, django_capture_on_commit_callbacks
):
    import io
    import zipfile

    from rights.models import DataExport

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    settings.RETENTION_SUPPORT_MESSAGE_DAYS = 90
    SupportMessage.objects.create(topic="support", email=user.email, message="Mine", user=user)
    SupportMessage.objects.create(
        topic="support", email=other_user.email, message="Bob's", user=other_user
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.export_request(user=user)

    export = DataExport.objects.get(user=user)
    with export.file.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    data = json.loads(archive.read("data.json"))
    assert [row["message"] for row in data["records"]["support_messages"]] == ["Mine"]
    assert "support_messages.csv" in archive.namelist()
    readme = archive.read("README.html").decode()
    assert "Messages you sent us" in readme
    assert "90 days" in readme


def test_it_shows_requests_and_audit_retention_in_the_export_readme(
    user, settings, tmp_path, django_capture_on_commit_callbacks
):
    import io
    import zipfile

    from rights.models import DataExport

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    settings.RETENTION_REQUEST_DAYS = 1001

    with django_capture_on_commit_callbacks(execute=True):
        services.export_request(user=user)

    export = DataExport.objects.get(user=user)
    with export.file.open("rb") as handle:
        readme = zipfile.ZipFile(io.BytesIO(handle.read())).read("README.html").decode()
    assert "1001 days" in readme
