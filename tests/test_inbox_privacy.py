"""Parse, then discard: a forwarded email leaves only its proposal. A unique sentence of the
email is in no database row, no log line and no Sentry event, whichever way it arrived (the
pipe command, or Postmark's inbound webhook through anymail, authenticated)."""

import base64
import io
import json
import logging
import sys
from email.message import EmailMessage
from http import HTTPStatus

import pytest
from django.apps import apps
from django.core.management import call_command

from inbox.models import ForwardingAddress, Proposal
from tests.conftest import make_user
from tests.test_sentry import transport  # noqa: F401 - the capturing Sentry fixture

DOMAIN = "in.jobtrax.example"
LOCAL = "p7d2k9w4x8m3q6zz"
SECRET_SENTENCE = "Our hiring panel admired the lighthouse photograph in your portfolio."
REJECTION = "Unfortunately, we have decided to move forward with other candidates."
WEBHOOK_AUTH = "postmark-inbound:s3cret-webhook-password"


@pytest.fixture
def alice(db, settings):
    from jobs.services import job_create

    settings.INBOUND_EMAIL_DOMAIN = DOMAIN
    settings.ANYMAIL = {"WEBHOOK_SECRET": WEBHOOK_AUTH}
    user = make_user("alice@example.com")
    ForwardingAddress.objects.create(user=user, local_part=LOCAL)
    job_create(user=user, data={"title": "Data Engineer", "company": "Northwind Analytics"})
    return user


def message() -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = "Alice Martin <alice@example.com>"
    mail["To"] = f"{LOCAL}@{DOMAIN}"
    mail["Subject"] = "Fwd: Your application to Northwind Analytics"
    mail["Date"] = "Thu, 13 Mar 2025 10:00:00 +0100"
    mail.set_content(
        "---------- Forwarded message ---------\n"
        "From: Northwind Analytics <no-reply@hire.lever.co>\n"
        "Date: Wed, Mar 12, 2025 at 11:40 AM\n"
        "Subject: Your application to Northwind Analytics\n"
        "To: <alice@example.com>\n\n"
        f"Hi Alice,\n\nThank you for applying for the Data Engineer role.\n\n{REJECTION}\n\n"
        f"{SECRET_SENTENCE}\n\nNorthwind Analytics Recruiting\n"
    )
    return mail


def database_dump() -> str:
    """Every row of every table, as text."""
    rows = []
    for model in apps.get_models(include_auto_created=True):
        for row in model._base_manager.all().values_list():
            rows.append(repr(row))
    return "\n".join(rows)


def assert_forgotten(caplog, transport) -> None:  # noqa: F811
    sent = b"".join(envelope.serialize() for envelope in transport.envelopes).decode()
    assert SECRET_SENTENCE not in database_dump()
    assert "lighthouse" not in database_dump()
    assert "lighthouse" not in caplog.text
    assert "lighthouse" not in sent


def test_the_pipe_keeps_only_the_proposal(alice, caplog, transport):  # noqa: F811
    caplog.set_level(logging.DEBUG)
    old, sys.stdin = sys.stdin, io.TextIOWrapper(io.BytesIO(message().as_bytes()))
    try:
        with pytest.raises(SystemExit) as exit_:
            call_command("jobs_inbound")
    finally:
        sys.stdin = old

    proposal = Proposal.objects.get()
    assert exit_.value.code == 0
    assert proposal.proposed_stage == "rejected"
    assert proposal.sender_domain == "hire.lever.co"
    assert len(proposal.snippet) <= 300
    assert_forgotten(caplog, transport)


def postmark_payload(mail: EmailMessage) -> dict:
    """Postmark's inbound webhook JSON, as its documentation and anymail's tests give it."""
    text = mail.get_body(("plain",)).get_content()
    return {
        "FromName": "Alice Martin",
        "MessageStream": "inbound",
        "From": "alice@example.com",
        "FromFull": {"Email": "alice@example.com", "Name": "Alice Martin", "MailboxHash": ""},
        "To": f"{LOCAL}@{DOMAIN}",
        "ToFull": [{"Email": f"{LOCAL}@{DOMAIN}", "Name": "", "MailboxHash": ""}],
        "Cc": "",
        "CcFull": [],
        "Bcc": "",
        "BccFull": [],
        "OriginalRecipient": f"{LOCAL}@{DOMAIN}",
        "Subject": mail["Subject"],
        "MessageID": "73e6d360-66eb-11e1-8e72-a8904824019b",
        "ReplyTo": "",
        "MailboxHash": "",
        "Date": mail["Date"],
        "TextBody": text,
        "HtmlBody": "",
        "StrippedTextReply": "",
        "Tag": "",
        "Headers": [
            {"Name": "Return-Path", "Value": "<alice@example.com>"},
            {"Name": "X-Spam-Checked", "Value": "Yes"},
            {"Name": "X-Spam-Status", "Value": "No"},
            {"Name": "X-Spam-Score", "Value": "-0.1"},
            {"Name": "Received-SPF", "Value": "pass (example.com: designates 192.0.2.1)"},
            {"Name": "Message-ID", "Value": "<CAKx@mail.example.com>"},
        ],
        "Attachments": [
            {
                "Name": "cv.pdf",
                "Content": base64.b64encode(b"%PDF-1.4 " + SECRET_SENTENCE.encode()).decode(),
                "ContentType": "application/pdf",
                "ContentLength": 60,
            }
        ],
    }


def post(client, payload: dict, auth: str = WEBHOOK_AUTH):
    return client.post(
        "/inbound/postmark/",
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION="Basic " + base64.b64encode(auth.encode()).decode(),
    )


def test_the_webhook_keeps_only_the_proposal(client, alice, caplog, transport):  # noqa: F811
    caplog.set_level(logging.DEBUG)

    response = post(client, postmark_payload(message()))

    assert response.status_code == HTTPStatus.OK
    assert Proposal.objects.get().proposed_stage == "rejected"
    assert_forgotten(caplog, transport)


def test_the_webhook_refuses_a_wrong_password(client, alice):
    response = post(client, postmark_payload(message()), auth="postmark-inbound:guess")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Proposal.objects.exists()


def test_the_webhook_is_not_there_without_a_secret(client, alice, settings):
    settings.ANYMAIL = {}

    assert post(client, postmark_payload(message())).status_code == HTTPStatus.NOT_FOUND


def test_the_webhook_drops_a_spam_verdict(client, alice):
    payload = postmark_payload(message())
    payload["Headers"][2] = {"Name": "X-Spam-Status", "Value": "Yes"}

    assert post(client, payload).status_code == HTTPStatus.OK
    assert not Proposal.objects.exists()


def test_an_error_while_reading_is_reported_without_the_email(
    client,
    alice,
    caplog,
    transport,  # noqa: F811
    monkeypatch,
):
    from inbox import understand

    def broken(found):
        raise ValueError(f"cannot read: {found.text}")

    monkeypatch.setattr(understand, "read", broken)
    caplog.set_level(logging.DEBUG)

    response = post(client, postmark_payload(message()))

    assert response.status_code == HTTPStatus.OK  # dropped: a retry would fail the same way
    assert "inbound email: internal (ValueError)" in caplog.text
    assert transport.events(), "the error reached Sentry"
    assert_forgotten(caplog, transport)


def test_sentry_drops_message_texts_from_an_inbound_request_event():
    from jobtrax.sentry import FILTERED, before_send

    event = {
        "request": {"url": "https://jobtrax.example/inbound/postmark/", "data": "{...}"},
        "exception": {"values": [{"type": "ValueError", "value": SECRET_SENTENCE}]},
        "logentry": {"message": "reading %s", "params": [SECRET_SENTENCE]},
        "extra": {"text": SECRET_SENTENCE},
        "breadcrumbs": {"values": [{"message": SECRET_SENTENCE}]},
    }

    scrubbed = before_send(event)

    assert SECRET_SENTENCE not in json.dumps(scrubbed)
    assert scrubbed["exception"]["values"][0] == {"type": "ValueError", "value": FILTERED}
