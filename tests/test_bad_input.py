"""Bad input on every account form: a clear error or a 4xx page, never a 500, nothing saved."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from django.core import mail, signing
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from accounts.models import LocationSource, User

VALID_PASSWORD = "a-Long-and-unusual-passphrase-42"
LONG_EMAIL = "a" * 250 + "@example.com"
ONE_MEGABYTE = "x" * (1024 * 1024)


@dataclass(frozen=True)
class FormSpec:
    url: str
    valid: dict
    target: str  # the field each bad value is put into
    logged_in: bool = False
    extra_targets: tuple[str, ...] = field(default_factory=tuple)
    target_is_email: bool = True
    # The profile form treats "no country" as "infer it from my IP": empty input is valid there.
    empty_means_infer: bool = False
    # allauth's email page redirects back to itself when a POST names no action it knows.
    unknown_action_redirects: bool = False


FORMS = {
    "signup": FormSpec(
        url="/accounts/signup/",
        valid={
            "email": "newcomer@example.com",
            "password1": VALID_PASSWORD,
            "password2": VALID_PASSWORD,
            "is_adult": "on",
        },
        target="email",
    ),
    "login": FormSpec(
        url="/accounts/login/",
        valid={"login": "alice@example.com", "password": "correct-Horse-battery-staple-42"},
        target="login",
    ),
    "password-reset": FormSpec(
        url="/accounts/password/reset/", valid={"email": "alice@example.com"}, target="email"
    ),
    "profile-location": FormSpec(
        url="/profile/", valid={"country": "FR", "region": "Bretagne"}, target="region",
        logged_in=True, extra_targets=("country",), target_is_email=False,
        empty_means_infer=True,
    ),
    "add-email": FormSpec(
        url="/accounts/email/",
        valid={"email": "alice.new@example.com", "action_add": ""},
        target="email",
        logged_in=True,
        unknown_action_redirects=True,
    ),
    "password-change": FormSpec(
        url="/accounts/password/change/",
        valid={
            "oldpassword": "correct-Horse-battery-staple-42",
            "password1": "another-Long-passphrase-99",
            "password2": "another-Long-passphrase-99",
        },
        target="password1",
        logged_in=True,
        target_is_email=False,
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Post:
    data: dict | None = None
    body: bytes | None = None
    content_type: str = "application/x-www-form-urlencoded"


def _with(spec: FormSpec, value, *targets: str) -> Post:
    data = dict(spec.valid)
    for name in targets or (spec.target, *spec.extra_targets):
        data[name] = value
    if "password2" in data and spec.target == "password1":
        data["password2"] = value
    return Post(data=data)


# Bad for every form.
CASES: dict[str, Callable[[FormSpec], Post]] = {
    "empty": lambda spec: Post(data={}),
    "blank-fields": lambda spec: Post(data=dict.fromkeys(spec.valid, "")),
    "over-long-text": lambda spec: _with(spec, "é" * 2000),
    "nul-byte": lambda spec: _with(spec, "alice\x00@example.com"),
    "only-nul": lambda spec: _with(spec, "\x00"),
    "one-megabyte-field": lambda spec: _with(spec, ONE_MEGABYTE),
    "list-ending-in-garbage": lambda spec: _with(spec, ["alice@example.com", "not-an-email\x00"]),
    "php-style-array": lambda spec: Post(
        data={f"{key}[]": value for key, value in spec.valid.items()}
    ),
    "json-body-as-form": lambda spec: Post(body=json.dumps(spec.valid).encode()),
    "json-body": lambda spec: Post(
        body=json.dumps(spec.valid).encode(), content_type="application/json"
    ),
    "nested-json-as-form": lambda spec: Post(
        body=json.dumps({spec.target: {"$ne": None}}).encode()
    ),
    "invalid-utf8": lambda spec: Post(body=b"email=%ff%fe%00&login=%c3%28&region=%ed%a0%80"),
    "multipart-garbage": lambda spec: Post(
        body=b"--nope\r\nContent-Disposition: form-data\r\n\r\n\x00\xff",
        content_type="multipart/form-data; boundary=nope",
    ),
    "multipart-no-boundary": lambda spec: Post(body=b"abc", content_type="multipart/form-data"),
}
# Bad only where the field is an email address (as a password or a region they are fine).
EMAIL_CASES: dict[str, Callable[[FormSpec], Post]] = {
    "malformed-email": lambda spec: _with(spec, "not-an-email"),
    "email-two-ats": lambda spec: _with(spec, "a@b@example.com"),
    "email-no-domain": lambda spec: _with(spec, "alice@"),
    "over-long-email": lambda spec: _with(spec, LONG_EMAIL),
    "emoji": lambda spec: _with(spec, "😀😀@😀.example"),
    "rtl-override": lambda spec: _with(spec, "\u202emoc.elpmaxe@ecila"),
    "control-chars": lambda spec: _with(spec, "\x01\x02\x1b[31m@example.com"),
}
# Input that carries no usable field at all.
NOTHING_USABLE = {
    "empty",
    "blank-fields",
    "php-style-array",
    "json-body-as-form",
    "json-body",
    "nested-json-as-form",
    "multipart-garbage",
}
ALL_CASES = CASES | EMAIL_CASES
CASE_PARAMS = [
    pytest.param(form, case, id=f"{form}-{case}")
    for form, spec in FORMS.items()
    for case in (ALL_CASES if spec.target_is_email else CASES)
]


def _snapshot() -> tuple:
    users = list(
        User.objects.order_by("pk").values_list(
            "pk", "email", "password", "country", "region", "location_source", "last_login"
        )
    )
    emails = list(EmailAddress.objects.order_by("pk").values_list("pk", "email", "verified"))
    return users, emails


def _post(client: Client, url: str, request: Post):
    if request.body is not None:
        return client.generic("POST", url, request.body, content_type=request.content_type)
    return client.post(url, request.data)


@pytest.fixture
def browser_for(user, password):
    """A client for a form: signed in through allauth (so reauthentication is fresh) or not."""

    def make(spec: FormSpec, *, enforce_csrf_checks: bool = False) -> Client:
        client = Client(enforce_csrf_checks=enforce_csrf_checks, raise_request_exception=False)
        if spec.logged_in:
            signed_in = Client()
            response = signed_in.post(
                "/accounts/login/", {"login": user.email, "password": password}
            )
            assert response.status_code == HTTPStatus.FOUND
            client.cookies = signed_in.cookies
        return client

    return make


def _assert_clear_refusal(response, spec: FormSpec) -> None:
    assert response.status_code != HTTPStatus.INTERNAL_SERVER_ERROR
    assert response.status_code < 500
    if response.status_code == HTTPStatus.OK:
        html = response.content.decode()
        if spec.unknown_action_redirects and response["Content-Type"] == "application/json":
            assert response.json()["location"] == spec.url
            return
        assert 'class="errorlist' in html or 'role="alert"' in html, "no error shown"
    elif response.status_code == HTTPStatus.FOUND and spec.unknown_action_redirects:
        assert response["Location"] == spec.url
    elif response.status_code == HTTPStatus.FOUND:
        pytest.fail(f"bad input was accepted and redirected to {response['Location']}")
    else:
        assert 400 <= response.status_code < 500
        assert "<h1>" in response.content.decode(), "the error page says nothing"


@pytest.mark.parametrize(("form", "case"), CASE_PARAMS)
def test_it_refuses_bad_input_clearly_and_saves_nothing(browser_for, user, form, case):
    spec = FORMS[form]
    client = browser_for(spec)
    before = _snapshot()
    mail.outbox.clear()

    response = _post(client, spec.url, ALL_CASES[case](spec))

    if spec.empty_means_infer and case in NOTHING_USABLE:
        # Nothing chosen: the location is inferred from the (local, unknown) address.
        assert response.status_code == HTTPStatus.FOUND
        user.refresh_from_db()
        assert (user.country, user.location_source) == ("", LocationSource.UNKNOWN)
        return
    _assert_clear_refusal(response, spec)
    assert _snapshot() == before
    if form != "login":  # allauth's own login form may say nothing about who exists
        assert mail.outbox == []


@pytest.mark.parametrize("form", FORMS)
def test_it_refuses_a_post_without_a_csrf_token(browser_for, form):
    spec = FORMS[form]
    client = browser_for(spec, enforce_csrf_checks=True)
    before = _snapshot()

    response = client.post(spec.url, spec.valid)

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "<h1>" in response.content.decode()
    assert _snapshot() == before


@pytest.mark.parametrize("form", FORMS)
def test_it_renders_a_clear_400_page_for_a_body_over_the_upload_limit(browser_for, form):
    spec = FORMS[form]
    client = browser_for(spec)
    before = _snapshot()

    response = client.generic(
        "POST",
        spec.url,
        ("padding=" + ONE_MEGABYTE).encode(),
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Bad request" in response.content.decode()
    assert _snapshot() == before


@pytest.mark.parametrize("form", FORMS)
def test_the_valid_input_of_each_form_is_accepted(browser_for, form):
    """The bad-input cases above are only meaningful if the same form accepts good input."""
    spec = FORMS[form]
    client = browser_for(spec)

    response = client.post(spec.url, spec.valid)

    assert response.status_code == HTTPStatus.FOUND


@pytest.mark.parametrize(
    "url",
    ["/accounts/login/?next=%00", "/accounts/login/?next=//evil.example/", "/profile/?x=%ff%00"],
)
def test_it_never_fails_on_a_strange_query_string(client, db, url):
    response = client.get(url)

    assert response.status_code in {HTTPStatus.OK, HTTPStatus.FOUND, HTTPStatus.BAD_REQUEST}


# --- NUL bytes, and tokens of a shape no link ever has -----------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/data/exports/\x00/",
        "/data/exports/abc\x00def/download/",
        "/data/exports/" + "a" * 4096 + "/",
        "/data/exports/ünïcode-token-of-forty-three-characters-long/",
        "/data/delete/cancel/abc\x00def/",
        "/data/requests/verify/\x00/",
        "/privacy/unsubscribe/a b/",
        "/privacy/versions/\x00/",
        "/privacy/versions/latest/",
        "/privacy/compare/1.0/\x00/",
    ],
)
def test_it_routes_no_link_token_of_an_impossible_shape(db, path):
    with pytest.raises(Resolver404):
        resolve(path)


# The shape of secrets.token_urlsafe(32), fixed so that every run collects the same tests.
EXPORT_TOKEN = "Zm9yLXRlc3RzLW9ubHktYS1maXhlZC10b2tlbi0xMjM"


@pytest.mark.parametrize(
    ("name", "token"),
    [
        ("rights:export_detail", EXPORT_TOKEN),
        ("rights:export_download", EXPORT_TOKEN),
        ("rights:deletion_cancel", signing.dumps({"r": 12, "u": 3}, salt="x")),
        ("rights:request_verify", signing.dumps({"r": 12}, salt="x")),
        ("consent:unsubscribe", signing.dumps({"u": 3, "n": "ab12"}, salt="x")),
        ("privacy:version", "12.3"),
    ],
    # Named, not by value (signed tokens hold the time): every process of a parallel run
    # must collect the same ids.
    ids=[
        "export_detail",
        "export_download",
        "deletion_cancel",
        "request_verify",
        "unsubscribe",
        "notice_version",
    ],
)
def test_it_routes_every_link_token_of_the_real_shape(name, token):
    assert resolve(reverse(name, args=[token])).url_name == name.split(":")[1]


@pytest.mark.parametrize(
    "url", ["/?q=%00", "/data/?%00=1", "/privacy/?next=a%00b", "/accounts/login/?next=%00"]
)
def test_it_refuses_a_nul_byte_in_the_query_string(client_logged_in, url):
    response = client_logged_in.get(url)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Bad request" in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/data/exports/%00/", "/data/exports/abc%00def/download/", "/profile/%00", "/%00"]
)
def test_it_answers_404_to_a_nul_byte_in_the_path(client_logged_in, url):
    assert client_logged_in.get(url).status_code == HTTPStatus.NOT_FOUND


STAFF_LISTS = ["/admin/rights/datasubjectrequest/", "/admin/rights/dataexport/",
               "/admin/privacy/noticeversion/"]  # fmt: skip


@pytest.mark.parametrize("url", STAFF_LISTS)
@pytest.mark.parametrize(
    "query", ["status=%00", "status=made-up", "status__exact=made-up", "status__in=received,%00"]
)
def test_it_refuses_an_impossible_filter_on_a_staff_list(client, superuser, url, query):
    from tests.conftest import staff_login

    staff_login(client, superuser)

    response = client.get(f"{url}?{query}")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Bad request" in response.content.decode()


@pytest.mark.parametrize("url", STAFF_LISTS)
def test_it_keeps_a_possible_filter_on_a_staff_list(client, superuser, url):
    from tests.conftest import staff_login

    staff_login(client, superuser)
    field = resolve(url).func.model_admin.model._meta.get_field("status")

    response = client.get(f"{url}?status__exact={field.choices[0][0]}")

    assert response.status_code == HTTPStatus.OK
