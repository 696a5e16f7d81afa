"""Nothing about a fetch is kept: no imported URL in logs or Sentry (notice 1.2, section 3)."""

import json
import logging

import pytest
import sentry_sdk
from sentry_sdk.envelope import Envelope
from sentry_sdk.transport import Transport

from importer.fetch import fetch
from jobtrax.sentry import before_breadcrumb, init_sentry
from tests.loopback_site import LoopbackSite

SECRET_PATH = "/careers/sre-oslo"  # short: the scrubber masks long, token-like segments
PAGE = b"<html><head><title>Staff Engineer</title></head><body>x</body></html>"


class CapturingTransport(Transport):
    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes: list[Envelope] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        self.envelopes.append(envelope)

    def items(self, kind: str) -> list[dict]:
        return [
            item.payload.json
            for envelope in self.envelopes
            for item in envelope.items
            if item.type == kind
        ]


@pytest.fixture
def site(settings):
    settings.IMPORTER_ALLOW_LOOPBACK = True
    server = LoopbackSite().start()
    server.route(SECRET_PATH, body=PAGE)
    yield server
    server.stop()


@pytest.fixture
def sentry_transport():
    transport = CapturingTransport()
    init_sentry(
        dsn="https://public@sentry.invalid/1", environment="test", traces=1.0, transport=transport
    )
    yield transport
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)
    sentry_sdk.get_isolation_scope().set_client(None)
    sentry_sdk.get_current_scope().set_client(None)


def test_it_leaves_no_fetched_url_in_sentry_breadcrumbs_or_traces(site, sentry_transport):
    with sentry_sdk.new_scope(), sentry_sdk.start_transaction(name="import", op="task"):
        fetch(site.url(SECRET_PATH))
        sentry_sdk.capture_message("something failed after an import")
    sentry_sdk.flush()

    [event] = sentry_transport.items("event")
    [transaction] = sentry_transport.items("transaction")
    dumped = json.dumps([event, transaction])
    assert "something failed after an import" in dumped
    assert transaction["transaction"] == "import"
    assert "sre-oslo" not in dumped
    assert f"127.0.0.1:{site.port}" not in dumped


def test_it_scrubs_the_url_from_any_http_breadcrumb():
    crumb = {
        "type": "http",
        "category": "httplib",
        "data": {"url": "https://jobs.example/42?ref=me", "method": "GET", "status_code": 200},
    }

    kept = before_breadcrumb(crumb)

    assert kept == {
        "type": "http",
        "category": "httplib",
        "data": {"method": "GET", "status_code": 200},
    }


@pytest.mark.parametrize("category", ["httpx", "httpcore.connection", "httpcore.http11"])
def test_it_drops_the_log_breadcrumbs_of_the_http_client(category):
    assert (
        before_breadcrumb({"category": category, "message": "HTTP Request: GET https://x/"}) is None
    )


def test_it_writes_no_fetched_url_to_the_log(site, caplog):
    with caplog.at_level(logging.DEBUG):
        fetch(site.url(SECRET_PATH))

    assert "sre-oslo" not in caplog.text


def test_an_import_leaves_its_url_in_no_log_row_audit_record_or_log_line(
    client_logged_in, user, site, caplog, django_capture_on_commit_callbacks
):
    from logs_retention.models import RequestLog, SecurityEvent
    from logs_retention.services import request_log_flush
    from rights.models import AuditRecord

    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        response = client_logged_in.post(
            "/jobs/import/", {"kind": "link", "url": site.url(SECRET_PATH)}
        )
        client_logged_in.get(response["Location"])
    request_log_flush()

    assert response.status_code == 302
    rows = [*RequestLog.objects.values(), *SecurityEvent.objects.values(),
            *AuditRecord.objects.values()]  # fmt: skip
    assert {row["route"] for row in RequestLog.objects.values()} == {
        "importer:start",
        "importer:preview",
    }
    assert "sre-oslo" not in json.dumps(rows, default=str)
    assert "sre-oslo" not in caplog.text
    assert "importer.tasks.preview_read" in caplog.text  # the task ran and was logged
