"""Sentry gets the error, never the person: no email, IP, cookie or auth header leaves."""

import json
from http import HTTPStatus

import pytest
import sentry_sdk
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path
from sentry_sdk.envelope import Envelope
from sentry_sdk.transport import Transport

from jobtrax.sentry import before_send, init_sentry, scrub_text


def exploding_view(request: HttpRequest) -> HttpResponse:
    email = request.POST.get("email") or request.GET.get("email")
    address = request.META.get("REMOTE_ADDR")
    raise RuntimeError(f"could not process the request for {email} from {address}")


urlpatterns = [path("boom/", exploding_view)]

# Below the view, so that the source context Sentry sends around the raise holds none of them.
EMAIL = "alice.private@example.com"
CLIENT_IP = "198.51.100.23"
FORWARDED_IP = "203.0.113.77"
IPV6 = "2001:db8:85a3::8a2e:370:7334"
SESSION_COOKIE = "s3ss10n-c00kie-value-do-not-leak"
AUTH_TOKEN = "Bearer t0ken-that-must-not-leak"


class CapturingTransport(Transport):
    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes: list[Envelope] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        self.envelopes.append(envelope)

    def events(self) -> list[dict]:
        return [
            item.payload.json
            for envelope in self.envelopes
            for item in envelope.items
            if item.type == "event"
        ]


@pytest.fixture
def transport():
    transport = CapturingTransport()
    init_sentry(dsn="https://public@sentry.invalid/1", environment="test", transport=transport)
    yield transport
    client = sentry_sdk.get_client()
    client.close()
    sentry_sdk.get_global_scope().set_client(None)
    sentry_sdk.get_isolation_scope().set_client(None)
    sentry_sdk.get_current_scope().set_client(None)


@pytest.mark.urls("tests.test_sentry")
def test_it_sends_errors_without_personal_data(db, transport):
    client = Client(raise_request_exception=False)

    response = client.post(
        f"/boom/?email={EMAIL}&next=/somewhere/",
        {"email": EMAIL, "note": f"reach me at {EMAIL} or {IPV6}"},
        HTTP_COOKIE=f"sessionid={SESSION_COOKIE}; csrftoken=abc",
        HTTP_AUTHORIZATION=AUTH_TOKEN,
        HTTP_X_FORWARDED_FOR=f"{FORWARDED_IP}, {CLIENT_IP}",
        HTTP_X_REAL_IP=FORWARDED_IP,
        REMOTE_ADDR=CLIENT_IP,
    )
    sentry_sdk.flush()

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    events = transport.events()
    assert events, "the error reached the transport"
    exceptions = [e for e in events if e.get("exception")]
    assert exceptions
    assert exceptions[0]["exception"]["values"][-1]["type"] == "RuntimeError"
    sent = b"".join(envelope.serialize() for envelope in transport.envelopes).decode()
    for secret in (EMAIL, CLIENT_IP, FORWARDED_IP, IPV6, SESSION_COOKIE, AUTH_TOKEN, "t0ken"):
        assert secret not in sent
    assert "example.com" not in sent
    for event in events:
        request = event.get("request", {})
        headers = {name.lower() for name in request.get("headers", {})}
        assert not {"cookie", "authorization", "x-forwarded-for", "x-real-ip"} & headers
        assert "cookies" not in request
        assert "REMOTE_ADDR" not in request.get("env", {})
        assert "ip_address" not in event.get("user", {})


def test_it_never_sends_default_pii(transport):
    assert sentry_sdk.get_client().options["send_default_pii"] is False


@pytest.mark.urls("tests.test_sentry")
def test_it_sends_no_local_variables_and_no_request_body(db, transport):
    Client(raise_request_exception=False).post("/boom/", {"note": "Jane Q. Applicant, CV"})

    [event] = [e for e in transport.events() if e.get("exception")]
    frames = event["exception"]["values"][-1]["stacktrace"]["frames"]
    assert frames
    assert not any("vars" in frame for frame in frames)
    assert "Jane" not in json.dumps(event)


def test_it_scrubs_an_event_built_by_hand():
    event = {
        "request": {
            "url": "https://jobtrax.example/profile/",
            "headers": {"Cookie": "a=b", "Authorization": "Basic x", "User-Agent": "Firefox"},
            "cookies": {"sessionid": "x"},
            "env": {"REMOTE_ADDR": CLIENT_IP, "SERVER_NAME": "web-1"},
            "data": {"email": EMAIL},
            "query_string": f"email={EMAIL}",
        },
        "user": {"id": "42", "email": EMAIL, "ip_address": CLIENT_IP},
        "message": f"login failed for {EMAIL} from {CLIENT_IP} and {IPV6}",
        "server_name": "web-1",
    }

    scrubbed = before_send(event, {})

    text = json.dumps(scrubbed)
    for secret in (EMAIL, CLIENT_IP, IPV6, "Basic x", "sessionid", "web-1"):
        assert secret not in text
    assert scrubbed["user"] == {"id": "42"}
    assert scrubbed["request"]["headers"] == {"User-Agent": "Firefox"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mail a.b+c@sub.example.org now", "mail [Filtered] now"),
        ("from 10.0.0.1", "from [Filtered]"),
        ("from fe80::1 ok", "from [Filtered] ok"),
        ("version 5.2.19 is fine", "version 5.2.19 is fine"),
    ],
)
def test_it_filters_emails_and_addresses_from_text(text, expected):
    assert scrub_text(text) == expected
