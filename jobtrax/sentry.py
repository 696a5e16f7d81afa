"""Sentry, with personal data removed from every event before it leaves the process."""

import ipaddress
import re
import weakref
from collections.abc import Callable, Iterable
from typing import Any

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.httpx import HttpxIntegration

# Starts only where a run of address characters starts: linear on a long run with no "@".
EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9.!#$%&'*+/=?^_`{|}~-])"
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
)
IPV4_RE = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
# Anything shaped like an IPv6 address; only what really parses as one is masked, so that
# times such as 20:39:27 survive.
IPV6_CANDIDATE_RE = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f.]{0,15}(?![\w:])")
# Verification, reset, unsubscribe, deletion-cancel and download links carry long random
# tokens, in the path or as a query value.
LINK_TOKEN_RE = re.compile(r"(?<=[/=])[A-Za-z0-9_\-:.]{20,}(?=[/?&#]|\b)")
# What a person typed is masked wherever it turns up; shorter values are checkbox and choice
# values ("on", "1"), which would only mangle unrelated text.
SUBMITTED_VALUE_MIN_LENGTH = 3
FILTERED = "[Filtered]"
SENSITIVE_HEADERS = {
    "cookie",
    "set-cookie",
    "authorization",
    "proxy-authorization",
    "x-forwarded-for",
    "x-real-ip",
    "forwarded",
    "x-csrftoken",
    "remote-addr",
}


def scrub_text(value: str, *, link_tokens: bool = True) -> str:
    """Emails, IP addresses and (unless told otherwise) link tokens, masked."""
    value = EMAIL_RE.sub(FILTERED, value)
    value = IPV4_RE.sub(FILTERED, value)
    value = IPV6_CANDIDATE_RE.sub(_mask_ipv6, value)
    return LINK_TOKEN_RE.sub(FILTERED, value) if link_tokens else value


def submitted_values(request: Any) -> list[str]:
    """What the request's sender typed (query and form values), longest first."""
    sources = [getattr(request, "GET", None)]
    if hasattr(request, "_post"):  # only a form the code already read; never parse a body here
        sources.append(request._post)
    values: set[str] = set()
    for source in sources:
        for _name, items in source.lists() if source is not None else ():
            for item in items:
                if isinstance(item, str):
                    values.update(
                        line.strip()
                        for line in item.splitlines()
                        if len(line.strip()) >= SUBMITTED_VALUE_MIN_LENGTH
                    )
    return sorted(values, key=len, reverse=True)


def mask_values(text: str, values: Iterable[str]) -> str:
    for value in values:
        if value in text:
            text = text.replace(value, FILTERED)
    return text


def _mask_ipv6(match: re.Match) -> str:
    if not any(ch.isalnum() for ch in match.group(0)):
        return match.group(0)  # a bare "::" is punctuation, not an address
    try:
        ipaddress.IPv6Address(match.group(0))
    except ValueError:
        return match.group(0)
    return FILTERED


def _scrub(value: Any, text: Callable[[str], str] = scrub_text) -> Any:
    """Every string of an event. Stack frames hold source code and file paths, whose long
    names are not link tokens: they only lose emails and IP addresses."""
    if isinstance(value, str):
        return text(value)
    if isinstance(value, dict):
        return {
            key: _scrub(item, _in_code if key == "stacktrace" else text)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_scrub(item, text) for item in value]
    return value


def _in_code(value: str) -> str:
    return scrub_text(value, link_tokens=False)


def _mask_submitted(request_ref: weakref.ref) -> Callable[[dict, dict], dict]:
    def processor(event: dict, hint: dict) -> dict:
        request = request_ref()
        values = submitted_values(request) if request is not None else []
        if not values:
            return event
        return _scrub(event, lambda text: mask_values(text, values))

    return processor


class SentrySubmittedValuesMiddleware:
    """Masks what the person typed in any event of their request (an exception message that
    quotes a form value, a log line): no pattern could recognise free text, but this can."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        if not sentry_sdk.get_client().is_active():
            return self.get_response(request)
        with sentry_sdk.new_scope() as scope:
            scope.add_event_processor(_mask_submitted(weakref.ref(request)))
            return self.get_response(request)


# Requests whose body is a whole email (the inbound webhook): the email must never leave.
INBOUND_PATHS = ("/inbound/",)


def _scrub_inbound(event: dict) -> None:
    """An event of the inbound webhook keeps its stack and types, never a message text: an
    exception's message or a log line could quote the email."""
    for exception in (event.get("exception") or {}).get("values") or []:
        if isinstance(exception, dict) and exception.get("value"):
            exception["value"] = FILTERED
    logentry = event.get("logentry")
    if isinstance(logentry, dict):
        logentry.pop("params", None)
    event.pop("extra", None)
    crumbs = event.get("breadcrumbs")
    if isinstance(crumbs, dict):
        crumbs["values"] = []
    elif isinstance(crumbs, list):
        event["breadcrumbs"] = []


def before_send(event: dict, hint: dict | None = None) -> dict:
    request = event.get("request")
    if isinstance(request, dict) and any(
        part in str(request.get("url") or "") for part in INBOUND_PATHS
    ):
        _scrub_inbound(event)
    if isinstance(request, dict):
        request.pop("cookies", None)
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                name: value
                for name, value in headers.items()
                if name.lower() not in SENSITIVE_HEADERS
            }
        env = request.get("env")
        if isinstance(env, dict):
            env.pop("REMOTE_ADDR", None)
            env.pop("SERVER_NAME", None)
        if "data" in request:
            request["data"] = FILTERED
        if isinstance(request.get("query_string"), str):
            request["query_string"] = FILTERED if request["query_string"] else ""
    user = event.get("user")
    if isinstance(user, dict):
        # Keep only the opaque id, which is enough to group errors by account.
        event["user"] = {"id": user["id"]} if "id" in user else {}
    event.pop("server_name", None)
    return _scrub(event)


def before_breadcrumb(crumb: dict, hint: dict | None = None) -> dict | None:
    category = str(crumb.get("category") or "")
    # Log lines of httpx and httpcore name the URL they fetch, and an outgoing request's
    # address can be a job posting a user imported: never record one.
    if category.split(".")[0] in ("httpx", "httpcore"):
        return None
    # Redis commands name their keys, and keys name sessions and accounts (a session's key is
    # a credential): never record one.
    if category.split(".")[0] == "redis" or crumb.get("type") == "redis":
        return None
    if crumb.get("type") == "http" or category == "httplib":
        data = crumb.get("data")
        if isinstance(data, dict):
            for key in ("url", "http.query", "http.fragment"):
                data.pop(key, None)
        crumb.pop("message", None)
    return _scrub(crumb)


def init_sentry(*, dsn: str, environment: str, traces: float = 0.0, transport=None) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        send_default_pii=False,
        # Local variables and request bodies can hold any personal data (names, CV text), which
        # no pattern can recognise: never capture them.
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=traces,
        before_send=before_send,
        before_send_transaction=before_send,
        before_breadcrumb=before_breadcrumb,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        # httpx's integration records each outgoing URL (the importer fetches job postings).
        disabled_integrations=[HttpxIntegration()],
        transport=transport,
    )
