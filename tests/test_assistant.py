"""The optional AI features send only what the user asks (notice sections 4.1 and 16)."""

import json
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

URL = "/assistant/"
TEXT = "I am writting to apply for the junior analyst role."


class FakeProvider(BaseHTTPRequestHandler):
    """An OpenAI-compatible endpoint on loopback that records what it receives."""

    received: list = []
    reply: dict = {"choices": [{"message": {"content": "I am writing to apply."}}]}
    status = 200

    def do_POST(self):  # noqa: N802
        length = int(self.headers["Content-Length"])
        type(self).received.append(
            {"headers": dict(self.headers), "body": json.loads(self.rfile.read(length))}
        )
        payload = json.dumps(type(self).reply).encode()
        self.send_response(type(self).status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def provider(settings):
    FakeProvider.received = []
    FakeProvider.status = 200
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeProvider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.AI_API_URL = f"http://127.0.0.1:{server.server_port}/v1/chat/completions"
    settings.AI_API_KEY = "sk-test"
    yield FakeProvider
    server.shutdown()
    server.server_close()


def test_it_sends_only_the_text_and_the_instruction(client_logged_in, user, provider, geoip):
    user.country, user.region = "GB", "ENG"
    user.save()

    response = client_logged_in.post(
        URL, {"task": "polish", "text": TEXT}, REMOTE_ADDR="81.2.69.142"
    )

    assert response.status_code == HTTPStatus.OK
    assert "I am writing to apply." in response.content.decode()
    assert len(provider.received) == 1
    body = provider.received[0]["body"]
    assert set(body) == {"model", "messages", "store"}
    assert body["store"] is False
    assert [message["role"] for message in body["messages"]] == ["system", "user"]
    assert body["messages"][1]["content"] == TEXT
    sent = json.dumps(provider.received[0])
    assert "user" not in body
    for private in ("alice@example.com", "81.2.69", "ENG", "GB", "sessionid", "csrftoken"):
        assert private not in sent


def test_it_says_exactly_what_is_and_is_not_guaranteed_about_model_training(
    client_logged_in, user, provider
):
    client_logged_in.post(URL, {"task": "polish", "text": TEXT})
    processors = client_logged_in.get("/privacy/processors/").content.decode()
    notice = client_logged_in.get("/privacy/").content.decode()

    # What is sent: the text, the instruction, the model and `store: false`. No field of the
    # request turns training off, so no page may claim that a setting of JobTrax does.
    [received] = provider.received
    assert set(received["body"]) == {"model", "messages", "store"}
    assert received["body"]["store"] is False
    assert "opt out of model training." not in processors
    assert 'id="training-ai"' in processors
    training = processors.split('id="training-ai"', 1)[1].split("</p>", 1)[0]
    assert "What JobTrax guarantees" in training
    assert "&quot;store&quot;: false" in training
    assert "cannot guarantee" in training
    assert "no request field turns model training off" in training
    assert "Model training: What JobTrax guarantees" in notice


def test_it_refuses_while_processing_is_restricted(client_logged_in, user, provider):
    user.processing_restricted_at = timezone.now()
    user.save()

    response = client_logged_in.post(URL, {"task": "polish", "text": TEXT})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "restricted" in response.content.decode()
    assert provider.received == []


def test_the_refusal_tells_a_restricted_user_how_to_have_the_restriction_lifted(
    client_logged_in, user, provider, settings
):
    settings.JOBTRAX_PRIVACY_EMAIL = "dpo@example.org"
    user.processing_restricted_at = timezone.now()
    user.save()

    page = client_logged_in.post(URL, {"task": "polish", "text": TEXT}).content.decode()

    # Only staff lift a restriction (after telling the user), so the page must not say the
    # user can do it themselves: it names the two ways to ask.
    assert "lift the restriction from" not in page.lower()
    assert "dpo@example.org" in page
    assert "/data/requests/new/" in page
    form = client_logged_in.get("/data/requests/new/").content.decode()
    assert "Lift the restriction of my data" in form
    sent = client_logged_in.post(
        "/data/requests/new/", {"kind": "restriction", "details": "Please lift it."}
    )
    assert sent.status_code == HTTPStatus.FOUND
    assert user.rights_requests.get().kind == "restriction"


def test_it_is_off_without_a_provider(client_logged_in, settings):
    settings.AI_API_URL = ""

    assert client_logged_in.get(URL).status_code == HTTPStatus.NOT_FOUND


def test_outsiders_are_sent_to_sign_in(client, provider):
    response = client.post(URL, {"task": "polish", "text": TEXT})

    assert response.status_code == HTTPStatus.FOUND
    assert provider.received == []


@pytest.mark.parametrize(
    "data",
    [
        {"task": "polish", "text": ""},
        {"task": "summon-demons", "text": TEXT},
        {"task": "polish", "text": "x" * 5000},
        {"task": "polish"},
        {"text": TEXT},
    ],
)
def test_it_rejects_bad_input_without_calling_the_provider(client_logged_in, provider, data):
    response = client_logged_in.post(URL, data)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert provider.received == []


def test_it_keeps_the_text_when_the_provider_fails(client_logged_in, provider):
    provider.status = 500

    response = client_logged_in.post(URL, {"task": "shorten", "text": TEXT})

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert TEXT in response.content.decode()
    assert "did not answer" in response.content.decode()


@pytest.mark.parametrize(("url", "active"), [("", False), ("https://ai.example/v1", True)])
def test_the_processors_page_lists_the_ai_provider_as_active_only_when_configured(
    client, db, settings, url, active
):
    settings.AI_API_URL = url
    settings.PRIVACY_AI_PROVIDERS = []

    html = client.get("/privacy/processors/").content.decode()

    ai_row = html[html.index('id="processor-ai"') :].split("</tr>")[0]
    assert ("<strong>Active</strong>" in ai_row) is active
