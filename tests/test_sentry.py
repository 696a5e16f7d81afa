"""Sentry gets the error, never the person: no email, IP, cookie or auth header leaves."""

import json
import logging
import threading
import urllib.error
import urllib.parse
import urllib.request
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import sentry_sdk
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from sentry_sdk.envelope import Envelope
from sentry_sdk.transport import Transport

from jobtrax.sentry import before_send, init_sentry, scrub_text


def exploding_view(request: HttpRequest) -> HttpResponse:
    email = request.POST.get("email") or request.GET.get("email")
    address = request.META.get("REMOTE_ADDR")
    raise RuntimeError(f"could not process the request for {email} from {address}")


@csrf_exempt
def failing_link_view(request: HttpRequest, token: str) -> HttpResponse:
    logging.getLogger("tests.links").info("following %s", request.build_absolute_uri())
    urllib.request.urlopen(f"{NOTIFY_URL}{request.path}").read()  # noqa: S310 (loopback)
    raise ValueError(f"cannot continue to {request.POST.get('next')}")


urlpatterns = [path("boom/", exploding_view), path("links/<str:token>/", failing_link_view)]
NOTIFY_URL = ""

# Below the view, so that the source context Sentry sends around the raise holds none of them.
EMAIL = "alice.private@example.com"
CLIENT_IP = "198.51.100.23"
FORWARDED_IP = "203.0.113.77"
IPV6 = "2001:db8:85a3::8a2e:370:7334"
SESSION_COOKIE = "s3ss10n-c00kie-value-do-not-leak"
AUTH_TOKEN = "Bearer t0ken-that-must-not-leak"


LINK_TOKEN = "eyJyIjo0MiwidSI6N30:1vB2xq:Q2FwYWJpbGl0eVRva2VuU2VjcmV0"
FORM_TEXT = "Dear hiring manager at Initech, I attach my CV"


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


class _Quiet(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(HTTPStatus.NO_CONTENT)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def loopback_service():
    """A real HTTP service on 127.0.0.1, so the request to it leaves a real breadcrumb."""
    global NOTIFY_URL
    server = HTTPServer(("127.0.0.1", 0), _Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    NOTIFY_URL = f"http://127.0.0.1:{server.server_port}"
    yield
    server.shutdown()
    server.server_close()


@pytest.mark.urls("tests.test_sentry")
def test_it_masks_link_tokens_and_form_text_in_the_event_of_a_failing_request(
    live_server, transport, loopback_service
):
    form = urllib.parse.urlencode({"next": FORM_TEXT}).encode()
    with pytest.raises(urllib.error.HTTPError) as failed:
        urllib.request.urlopen(f"{live_server.url}/links/{LINK_TOKEN}/", data=form)  # noqa: S310
    sentry_sdk.flush()

    assert failed.value.code == HTTPStatus.INTERNAL_SERVER_ERROR
    [event] = [e for e in transport.events() if e.get("exception")]
    assert event["exception"]["values"][-1]["type"] == "ValueError"
    assert event["exception"]["values"][-1]["value"] == "cannot continue to [Filtered]"
    assert event["request"]["url"].endswith("/links/[Filtered]/")
    crumbs = event["breadcrumbs"]["values"]
    assert any(c.get("category") == "tests.links" for c in crumbs)
    assert any(c.get("category") == "httplib" for c in crumbs)
    sent = b"".join(envelope.serialize() for envelope in transport.envelopes).decode()
    for secret in (LINK_TOKEN, "Q2FwYWJpbGl0eVRva2VuU2VjcmV0", FORM_TEXT, "Initech"):
        assert secret not in sent
