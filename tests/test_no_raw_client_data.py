"""No table keeps a raw User-Agent string or a full IP address, except where declared here.

The notice (1.2) promises no raw User-Agent, and full addresses only where they are needed.
Every model field that could hold either is found by its type or name; each must be on the
short list below with the reason it may. A real sign-in and a few requests then show that
none of the other tables ends up with the raw values.
"""

import re
from http import HTTPStatus

import pytest
from django.apps import apps
from django.db import models

from accounts.sessions import describe_user_agent
from logs_retention.services import request_log_flush

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"
IPV4 = "203.0.113.77"
IPV6 = "2001:db8:abcd:12:34::1"

NAME = re.compile(r"(^|_)(ip|ips|ip_address|remote_addr|user_agent|useragent|ua|agent)($|_)")

# (model label, field): why it may hold a full address or a browser string.
DECLARED = {
    ("logs_retention.RequestLog", "ip"): "full address for security, anonymised after "
    "RETENTION_REQUEST_LOG_ANONYMISE_DAYS (notice section 6)",
    ("logs_retention.RequestLog", "ip_network"): "the /24 or /48 network only",
    ("logs_retention.SecurityEvent", "ip"): "full address of a sign-in, failure or throttle, to "
    "detect abuse; deleted after RETENTION_SECURITY_EVENT_DAYS, truncated when the account goes",
    ("consent.ConsentRecord", "ip_truncated"): "the /24 or /48 network only",
    ("usersessions.UserSession", "ip"): "truncated before saving (accounts.sessions)",
    ("usersessions.UserSession", "user_agent"): "parsed before saving (accounts.sessions)",
}


def _suspect_fields() -> set[tuple[str, str]]:
    found = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation:
                continue
            if isinstance(field, models.GenericIPAddressField) or NAME.search(field.name):
                found.add((model._meta.label, field.name))
    return found


def test_it_declares_every_field_that_could_hold_an_address_or_a_user_agent():
    undeclared = _suspect_fields() - DECLARED.keys()
    assert not undeclared, f"declare why these may hold a full IP or a User-Agent: {undeclared}"


def test_it_keeps_the_declared_list_short_and_current():
    assert DECLARED.keys() <= _suspect_fields(), "a declared field no longer exists"
    assert len(DECLARED) <= 8


def _text_values(model) -> list[tuple[str, str]]:
    names = [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(
            f, models.CharField | models.TextField | models.JSONField | models.GenericIPAddressField
        )
    ]
    if not names:
        return []
    values = []
    for row in model._default_manager.values_list(*names):
        values.extend(zip(names, (str(v) for v in row), strict=True))
    return values


@pytest.mark.parametrize("address", [IPV4, IPV6])
def test_it_stores_the_raw_values_nowhere_but_the_declared_fields(client, user, password, address):
    response = client.post(
        "/accounts/login/",
        {"login": user.email, "password": password},
        HTTP_USER_AGENT=FIREFOX,
        REMOTE_ADDR=address,
    )
    assert response.status_code == HTTPStatus.FOUND
    client.get("/profile/", HTTP_USER_AGENT=FIREFOX, REMOTE_ADDR=address)
    client.get("/data/", HTTP_USER_AGENT=FIREFOX, REMOTE_ADDR=address)
    request_log_flush()

    leaks = []
    for model in apps.get_models():
        for name, value in _text_values(model):
            if (model._meta.label, name.removesuffix("_id")) in DECLARED and address in value:
                continue
            if FIREFOX in value or address in value:
                leaks.append((model._meta.label, name))
    assert not leaks


def test_it_keeps_a_session_record_with_a_truncated_address_and_a_parsed_browser(
    client, user, password
):
    from allauth.usersessions.models import UserSession

    client.post(
        "/accounts/login/",
        {"login": user.email, "password": password},
        HTTP_USER_AGENT=FIREFOX,
        REMOTE_ADDR=IPV4,
    )
    client.get("/profile/", HTTP_USER_AGENT=FIREFOX, REMOTE_ADDR="198.51.100.9")

    session = UserSession.objects.get(user=user)
    assert session.ip == "198.51.100.0"
    assert session.user_agent == "Firefox 120 · Linux · desktop"


def test_it_lists_the_reduced_sessions_on_the_users_sessions_page(client, user, password):
    client.post(
        "/accounts/login/",
        {"login": user.email, "password": password},
        HTTP_USER_AGENT=FIREFOX,
        REMOTE_ADDR=IPV4,
    )

    response = client.get("/accounts/sessions/", HTTP_USER_AGENT=FIREFOX, REMOTE_ADDR=IPV4)

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "Firefox 120 · Linux · desktop" in html
    assert "203.0.113.0" in html
    assert IPV4 not in html


@pytest.mark.parametrize(
    ("user_agent", "expected"),
    [
        (FIREFOX, "Firefox 120 · Linux · desktop"),
        ("", "Unknown browser · Unknown OS · other"),
        ("curl/8.5.0", "curl 8 · Unknown OS · other"),
        ("Firefox 120 · Linux · desktop", "Firefox 120 · Linux · desktop"),
    ],
)
def test_it_describes_a_user_agent_by_browser_os_and_device(user_agent, expected):
    assert describe_user_agent(user_agent) == expected


def test_it_reduces_the_session_records_written_before(user):
    import importlib

    from allauth.usersessions.models import UserSession

    migration = importlib.import_module("accounts.migrations.0003_reduce_session_records")
    session = UserSession.objects.create(user=user, ip="192.0.2.1", session_key="k1")
    # As an older release wrote it: raw values, without passing through the model's save().
    UserSession.objects.filter(pk=session.pk).update(ip=IPV4, user_agent=FIREFOX)

    migration.reduce_existing(apps, None)

    session.refresh_from_db()
    assert (session.ip, session.user_agent) == ("203.0.113.0", "Firefox 120 · Linux · desktop")
