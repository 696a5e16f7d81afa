"""One client address for the request log, consent proof, GeoIP and rate limits, proxy or not."""

import os
import subprocess
import sys
from http import HTTPStatus

import pytest
from django.test import Client

from consent.models import ConsentRecord
from logs_retention.models import RequestLog
from logs_retention.requestlog import buffer

LOGIN = "/accounts/login/"
PROXY = "10.0.0.5"
ALICE_IP = "203.0.113.7"
BOB_IP = "198.51.100.9"


@pytest.fixture
def two_failures_a_minute(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "2/m/ip"}


def fail_to_log_in(client: Client, *, forwarded_for: str, attempt: int):
    # A different unknown address each time, so only the per-address budget counts.
    return client.post(
        LOGIN,
        {"login": f"nobody{attempt}@example.com", "password": "wrong-Guess-123456"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def throttled(response) -> bool:
    return "too many failed login attempts" in response.content.decode().lower()


def test_it_gives_each_client_behind_a_trusted_proxy_its_own_budget(
    db, settings, two_failures_a_minute
):
    settings.TRUST_X_FORWARDED_FOR = True
    alice, bob = Client(), Client()
    for attempt in range(2):
        assert not throttled(fail_to_log_in(alice, forwarded_for=ALICE_IP, attempt=attempt))

    assert throttled(fail_to_log_in(alice, forwarded_for=ALICE_IP, attempt=2))
    response = fail_to_log_in(bob, forwarded_for=BOB_IP, attempt=3)
    assert response.status_code == HTTPStatus.OK
    assert not throttled(response)


def test_it_ignores_the_header_without_a_trusted_proxy(db, settings, two_failures_a_minute):
    settings.TRUST_X_FORWARDED_FOR = False
    attacker = Client()
    for attempt in range(2):
        fail_to_log_in(attacker, forwarded_for=f"192.0.2.{attempt}", attempt=attempt)

    assert throttled(fail_to_log_in(attacker, forwarded_for="192.0.2.99", attempt=2))


def test_it_reads_only_the_hop_the_proxy_appended(db, settings, two_failures_a_minute):
    settings.TRUST_X_FORWARDED_FOR = True
    attacker = Client()
    for attempt in range(2):
        spoofed = f"192.0.2.{attempt}, {ALICE_IP}"
        fail_to_log_in(attacker, forwarded_for=spoofed, attempt=attempt)

    assert throttled(fail_to_log_in(attacker, forwarded_for=f"192.0.2.99, {ALICE_IP}", attempt=2))


def test_the_request_log_and_the_consent_record_see_the_same_client(db, settings):
    settings.TRUST_X_FORWARDED_FOR = True

    Client().post(
        "/privacy/choices/decide/",
        {"action": "reject-all"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=ALICE_IP,
    )

    buffer.flush()
    assert ConsentRecord.objects.get().ip_truncated == "203.0.113.0"
    assert RequestLog.objects.get().ip == ALICE_IP


AGREE = """
import django
django.setup()
from allauth.core.internal.httpkit import get_client_ip
from django.test import RequestFactory
from jobtrax.net import client_ip
forwarded = "192.0.2.1, 203.0.113.7"
request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded)
print(get_client_ip(request), client_ip(request))
"""


@pytest.mark.parametrize(("trust", "expected"), [("true", ALICE_IP), ("false", PROXY)])
def test_allauths_own_proxy_settings_follow_the_same_switch(trust, expected):
    env = {
        **os.environ,
        "TRUST_X_FORWARDED_FOR": trust,
        "DJANGO_SETTINGS_MODULE": "jobtrax.settings",
    }

    result = subprocess.run(
        [sys.executable, "-c", AGREE], env=env, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [expected, expected]
