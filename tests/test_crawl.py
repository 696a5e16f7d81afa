"""The crawl: every URL pattern of the site, as every kind of person, never answers a 5xx.

It walks the URLconf itself (admin and allauth included), so pages added later are crawled
without a change here. Each pattern is visited with sample arguments: real ones from a small
world of data, garbage ones (NUL, unicode, 4 KB), and the paths of links found on the pages.
Each identity is visited with and without `Sec-GPC: 1` and with and without a consent cookie,
by GET, and once by POST with empty data.
"""

import itertools
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http import HTTPStatus
from urllib.parse import quote, urlsplit

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core import signing
from django.core.signals import got_request_exception
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils import timezone

from consent.state import cookie_name
from tests.conftest import make_user, staff_login

GARBAGE = ("\x00", "abc\x00def", "ünïcode-✓-名前", "a" * 4096, "-1", "..")
VARIANTS = tuple(itertools.product((False, True), (False, True)))  # (gpc, consent cookie)
LINKS_PER_PATTERN = 2
# Whose every page is seen in all four header/cookie variants; staff rotate through them.
ALL_VARIANTS_FOR = ("visitor", "user", "restricted")
IDENTITIES = ("visitor", "user", "restricted", "support", "privacy", "ops", "superuser")


# --- walking the URLconf ----------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    """One routable pattern: its parts from the root, and the names of its arguments."""

    parts: tuple[object, ...]  # RoutePattern / RegexPattern objects, outermost first
    pattern: URLPattern
    names: tuple[str, ...]

    @property
    def in_admin(self) -> bool:
        return str(self.parts[0]).startswith("admin/")

    @property
    def model(self):
        model_admin = getattr(self.pattern.callback, "model_admin", None)
        return getattr(model_admin, "model", None)


_GROUP = re.compile(r"\(\?P<(\w+)>")
_ROUTE_ARG = re.compile(r"<(?:\w+:)?(\w+)>")


def walk(patterns=None, parts: tuple = ()) -> Iterator[Pattern]:
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        here = (*parts, entry.pattern)
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, here)
        else:
            names = [n for part in here for n in _arg_names(part)]
            yield Pattern(parts=here, pattern=entry, names=tuple(names))


def _arg_names(part) -> list[str]:
    text = str(part)
    return _GROUP.findall(text) if _is_regex(part) else _ROUTE_ARG.findall(text)


def _is_regex(part) -> bool:
    return type(part).__name__ == "RegexPattern"


def _regex_groups(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, name, body) of each named group, balancing nested parentheses."""
    groups = []
    for match in _GROUP.finditer(text):
        depth, index = 1, match.end()
        while depth and index < len(text):
            if text[index] == "\\":
                index += 2
                continue
            depth += {"(": 1, ")": -1}.get(text[index], 0)
            index += 1
        groups.append((match.start(), index, match.group(1), text[match.end() : index - 1]))
    return groups


def alternatives(pattern: Pattern, name: str) -> list[str]:
    """The literal choices of a regex group written as `(?P<name>a|b|c)`, if it is one."""
    for part in pattern.parts:
        if _is_regex(part):
            for _, _, group, body in _regex_groups(str(part)):
                if group == name and re.fullmatch(r"[\w|-]+", body):
                    return body.split("|")
    return []


def build(pattern: Pattern, values: dict[str, str]) -> str | None:
    """The path of `pattern` with these (unquoted) values, or None if it cannot be written."""
    path = ""
    for part in pattern.parts:
        text = str(part)
        if _is_regex(part) and re.fullmatch(r"\^\(\?=[^()]*\)", text):
            continue  # an app's look-ahead (jobtrax.urls.app_urls): it writes nothing
        if _is_regex(part):
            out, last = "", 0
            for start, end, name, _ in _regex_groups(text):
                out += text[last:start] + quote(values[name], safe="")
                last = end
            text = (out + text[last:]).removeprefix("^").removesuffix("$")
            text = re.sub(r"\\(.)", r"\1", text)
            if re.search(r"[\^$*+?()\[\]{}|]", text):
                return None
        else:
            text = _ROUTE_ARG.sub(lambda m: quote(values[m.group(1)], safe=""), text)
        path += text
    return "/" + path


# --- the world each identity crawls ------------------------------------------------------------


@dataclass
class World:
    samples: dict[str, list[str]] = field(default_factory=dict)

    def real(self, pattern: Pattern, name: str) -> list[str]:
        if name == "object_id" and pattern.model is not None:
            pks = list(pattern.model._default_manager.order_by("pk").values_list("pk", flat=True))
            return [str(pks[0]) if pks else "1"]
        return alternatives(pattern, name) or self.samples.get(name) or ["1"]


def build_world(person) -> World:
    from allauth.account.forms import default_token_generator
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC
    from allauth.account.utils import user_pk_to_url_str
    from django.contrib.contenttypes.models import ContentType

    from consent.marketing import unsubscribe_token_make
    from privacy.models import NoticeVersion
    from rights.models import DataExport, DataSubjectRequest

    owner = person or make_user("owner@example.com")
    dsr = DataSubjectRequest.objects.create(
        kind=DataSubjectRequest.Kind.EXPORT,
        channel=DataSubjectRequest.Channel.SELF_SERVICE,
        user=owner,
        subject_email=owner.email,
        due_on=timezone.localdate() + timedelta(days=30),
    )
    export = DataExport.objects.create(user=owner, request=dsr, token="T" * 43)
    published = NoticeVersion.objects.filter(status=NoticeVersion.Status.PUBLISHED)
    numbers = sorted(published.values_list("number", flat=True))
    draft = NoticeVersion.objects.create(
        number="99.0", body="Draft.", change_summary="Draft.", effective_date=timezone.localdate()
    )
    pks = [str(dsr.pk), str(draft.pk), str(published.first().pk)]
    if apps.is_installed("jobs"):
        pks.append(str(apps.get_model("jobs", "Job").objects.create(user=owner, title="Crawl").pk))
    user_type = ContentType.objects.get_for_model(owner)
    email = EmailAddress.objects.get_primary(owner)
    return World(
        samples={
            "token": [
                export.token,
                unsubscribe_token_make(user_id=owner.pk),
                signing.dumps({"r": dsr.pk, "u": owner.pk}, salt="not-ours"),
                str(uuid.uuid4()),
            ],
            "pk": pks,
            "number": numbers[-1:],
            "old": numbers[:1],
            "new": numbers[-1:],
            "content_type_id": [str(user_type.pk)],
            "object_id": [str(owner.pk)],
            "uidb36": [user_pk_to_url_str(owner)],
            "key": [
                default_token_generator.make_token(owner),
                EmailConfirmationHMAC(email).key if email else "nope",
            ],
            "url": ["nowhere/"],
        }
    )


def sign_in(identity: str, client: Client):
    """Sign the client in as `identity` (nobody for a visitor); returns the person or None."""
    from accounts.roles import ROLE_CHOICES, roles_sync

    if identity == "visitor":
        return None
    if identity in ("user", "restricted"):
        now = timezone.now()
        extra = {"processing_restricted_at": now} if identity == "restricted" else {}
        person = make_user(f"{identity}@example.com", **extra)
        client.force_login(person)
        return person
    roles_sync()
    person = make_user(
        f"{identity}@example.com", is_staff=True, is_superuser=identity == "superuser"
    )
    if identity in ROLE_CHOICES:
        person.groups.add(Group.objects.get(name=ROLE_CHOICES[identity]))
    staff_login(client, person)
    return person


def paths_for(pattern: Pattern, world: World, turn: int) -> Iterator[tuple[str, bool]]:
    """(path, is_real): every real sample, and garbage in each argument in turn.

    Outside the admin each argument gets every garbage value; the admin's many alike patterns
    take one each, rotating with `turn`, so every kind still reaches every converter.
    """
    real = {name: world.real(pattern, name) for name in pattern.names}
    first = {name: values[0] for name, values in real.items()}
    seen = set()
    for name in pattern.names or [None]:
        for value in real.get(name, [None]):
            path = build(pattern, {**first, name: value} if name else first)
            if path and path not in seen:
                seen.add(path)
                yield path, True
    for index, name in enumerate(pattern.names):
        garbage = GARBAGE if not pattern.in_admin else [GARBAGE[(turn + index) % len(GARBAGE)]]
        for value in garbage:
            path = build(pattern, {**first, name: value})
            if path and path not in seen:
                seen.add(path)
                yield path, False


_LINK = re.compile(r'(?:href|action)="(/[^"#]*)"')


def links_in(response) -> set[str]:
    if "html" not in response.get("Content-Type", ""):
        return set()
    found = set()
    for link in _LINK.findall(response.content.decode(errors="replace")):
        path = urlsplit(link.replace("&amp;", "&")).path
        if not path.startswith("/static/"):
            found.add(path)
    return found


# --- the crawl ----------------------------------------------------------------------------------


class Crawler:
    def __init__(self, identity: str, consent_cookie: str):
        self.identity = identity
        self.consent_cookie = consent_cookie
        self.client = Client(raise_request_exception=False)
        self.person = sign_in(identity, self.client)
        self.failures: list[str] = []
        self.visited: set[tuple[str, str]] = set()
        self.links: set[str] = set()
        self._error = ""
        got_request_exception.connect(self._remember_error)

    def close(self) -> None:
        got_request_exception.disconnect(self._remember_error)

    def _remember_error(self, sender, request=None, **kwargs) -> None:
        import sys

        error = sys.exc_info()[1]
        self._error = f"{type(error).__name__}: {str(error)[:300]}" if error else "?"

    def _signed_in_again(self) -> None:
        if self.person is None or "_auth_user_id" in self.client.session:
            return
        self.person.refresh_from_db()
        if self.identity in ("user", "restricted"):
            self.client.force_login(self.person)
        else:
            staff_login(self.client, self.person)

    def visit(self, method: str, path: str, gpc: bool, cookie: bool) -> None:
        key = (method, path, gpc, cookie)
        if key in self.visited:
            return
        self.visited.add(key)
        if cookie:
            self.client.cookies[cookie_name()] = self.consent_cookie
        else:
            self.client.cookies.pop(cookie_name(), None)
        headers = {"Sec-GPC": "1"} if gpc else {}
        self._error = ""
        send = self.client.post if method == "POST" else self.client.get
        response = send(path, headers=headers)
        if response.status_code >= HTTPStatus.INTERNAL_SERVER_ERROR:
            shown = path if len(path) < 120 else path[:100] + f"...({len(path)} chars)"
            self.failures.append(
                f"{method} {shown!r} as {self.identity} gpc={gpc} cookie={cookie}: "
                f"{response.status_code} {self._error}"
            )
        elif method == "GET":
            self.links |= links_in(response)
        if method == "POST":
            self._signed_in_again()


def _consent_cookie() -> str:
    response = Client().post("/privacy/choices/decide/", {"action": "accept-all", "next": "/"})
    return response.cookies[cookie_name()].value


@pytest.mark.parametrize("identity", IDENTITIES)
def test_no_page_answers_a_server_error(db, identity, mailoutbox):
    crawler = Crawler(identity, _consent_cookie())
    try:
        world = build_world(crawler.person)
        patterns = list(walk())
        real_paths: list[str] = []
        turn = IDENTITIES.index(identity)
        for number, pattern in enumerate(patterns):
            for path, is_real in paths_for(pattern, world, turn + number):
                # One header/cookie variant per path, rotating; the site's own pages get all
                # four for the people they are for.
                every = is_real and not pattern.in_admin and identity in ALL_VARIANTS_FOR
                variants = VARIANTS if every else [VARIANTS[(turn + number) % len(VARIANTS)]]
                for gpc, cookie in variants:
                    crawler.visit("GET", path, gpc, cookie)
                if is_real:
                    real_paths.append(path)
        # Links the pages led to (objects, dashboards, policies) that the samples did not reach,
        # a few per pattern.
        visited_paths = {key[1] for key in crawler.visited}
        per_route: dict[str, int] = {}
        for number, link in enumerate(sorted(crawler.links - visited_paths)):
            try:
                route = resolve(link).route
            except Resolver404:
                continue
            per_route[route] = per_route.get(route, 0) + 1
            if per_route[route] <= LINKS_PER_PATTERN:
                crawler.visit("GET", link, *VARIANTS[number % len(VARIANTS)])
                real_paths.append(link)
        for number, path in enumerate(real_paths):
            crawler.visit("POST", path, *VARIANTS[(turn + number) % len(VARIANTS)])
    finally:
        crawler.close()

    assert len(patterns) > 100  # the walk reached the admin's and allauth's patterns
    assert crawler.failures == []


# --- hostile input on every changelist, form and import path -----------------------------------

# What the hostile probe sends: pathological markup for the parsers, numbers no field holds, a
# history nested past the JSON parser's depth.
HOSTILE_VALUES = (
    "<!--" * 25_000,
    '<script type="application/ld+json" ' * 5_000,
    "<div>" * 20_000,
    "[" * 100_000,
    "NaN",
    "Infinity",
    "1e999",
    "-1",
)


def _hostile_csv() -> str:
    """JobTrax's own columns, with salaries no field holds and a history nested too deep."""
    import csv
    import io

    from jobs.csvio import COLUMNS

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for number, salary in enumerate(("NaN", "Infinity", "1e999")):
        writer.writerow({"title": f"Job {number}", "stage": "saved", "salary_min": salary})
    writer.writerow({"title": "History", "stage": "saved", "stage_history": "[" * 100_000})
    return out.getvalue()


# A form's request takes at most this long whatever it carries (the probe saw 17 s).
SLOW_SECONDS = 10


def _date_filters(model_admin) -> list[dict]:
    from django.db import models as db_models

    names = {
        f.name
        for f in model_admin.model._meta.get_fields()
        if isinstance(f, db_models.DateField) and f.concrete
    }
    if model_admin.date_hierarchy:
        names.add(model_admin.date_hierarchy)
    filters = []
    for name in sorted(names):
        filters += [
            {f"{name}__year": "-1"},
            {f"{name}__year": "2024", f"{name}__month": "13"},
            {f"{name}__year": "2024", f"{name}__month": "2", f"{name}__day": "0"},
            {f"{name}__gte": "1e999"},
        ]
    return filters


def test_every_changelist_answers_hostile_filters_without_a_server_error(db):
    from django.contrib import admin
    from django.urls import reverse

    crawler = Crawler("superuser", _consent_cookie())
    try:
        for model, model_admin in admin.site._registry.items():
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            for params in _date_filters(model_admin):
                response = crawler.client.get(url, params)
                if response.status_code >= HTTPStatus.INTERNAL_SERVER_ERROR:
                    crawler.failures.append(f"GET {url} {params}: {crawler._error}")
    finally:
        crawler.close()

    assert crawler.failures == []


def _forms(response) -> list:
    import lxml.html

    if "html" not in response.get("Content-Type", "") or not response.content.strip():
        return []
    return lxml.html.fromstring(response.content).forms


def _hostile_data(form, value: str, target: str | None) -> tuple[dict, dict]:
    """The form's own values for hidden fields and choices; `value` in the `target` field typed
    in (every one when None), "x" in the others."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    data, files = {}, {}
    for element in form.inputs:
        name = element.get("name")
        if not name or element.get("disabled") is not None:
            continue
        kind = (element.get("type") or "text").lower() if element.tag == "input" else element.tag
        if kind == "file":
            files[name] = SimpleUploadedFile("jobs.csv", _hostile_csv().encode(), "text/csv")
        elif kind in ("hidden", "select", "submit", "checkbox", "radio"):
            if kind in ("checkbox", "radio") and not element.checked:
                continue
            data[name] = element.value or ""
        else:
            data[name] = value if target in (None, name) else "x"
    return data, files


def _targets(form, value: str) -> list[str | None]:
    """A short value goes in every field at once; a long one in each text area in turn (the
    request body would pass Django's size limit in all at once)."""
    if len(value) < 1000:
        return [None]
    return [element.get("name") for element in form.inputs if element.tag == "textarea"]


def test_every_form_and_import_path_answers_hostile_input_without_a_server_error(db, mailoutbox):
    import time

    crawler = Crawler("user", _consent_cookie())
    slow = []
    try:
        world = build_world(crawler.person)
        pages = {
            path
            for pattern in walk()
            if not pattern.in_admin
            for path, is_real in paths_for(pattern, world, 0)
            if is_real
        }
        forms: dict[tuple[str, tuple], object] = {}
        for path in sorted(pages):
            response = crawler.client.get(path)
            for form in _forms(response):
                if (form.method or "GET").upper() != "POST":
                    continue
                action = urlsplit(form.action or path).path or path
                if "logout" in action or "delete" in action or "session" in action:
                    continue  # would end the crawl's session, not test input
                # Forms sharing an action (the importer's link, paste and bookmarklet) each count.
                forms.setdefault((action, tuple(sorted(form.fields.keys()))), form)
        assert len(forms) > 20  # the walk found the site's forms
        for (action, _fields), form in sorted(forms.items(), key=lambda item: item[0]):
            cases = [(v, target) for v in HOSTILE_VALUES for target in _targets(form, v)]
            for value, target in cases:
                data, files = _hostile_data(form, value, target)
                crawler._error = ""
                started = time.perf_counter()
                response = crawler.client.post(action, {**data, **files})
                took = time.perf_counter() - started
                if took > SLOW_SECONDS:
                    slow.append(f"POST {action} with {value[:12]!r}...: {took:.1f} s")
                if response.status_code >= HTTPStatus.INTERNAL_SERVER_ERROR:
                    crawler.failures.append(
                        f"POST {action} with {value[:12]!r}...: {response.status_code} "
                        f"{crawler._error}"
                    )
                crawler._signed_in_again()
    finally:
        crawler.close()

    assert crawler.failures == []
    assert slow == []
