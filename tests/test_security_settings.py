"""Production security defaults: Django's deploy checks, response headers, loud env helpers."""

import json
import os
import re
import secrets
import subprocess
import sys
from http import HTTPStatus
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from jobtrax import env
from jobtrax.urls import urlpatterns as site_urlpatterns

PROJECT = Path(__file__).resolve().parents[1]
# Variables a developer's shell or the test command may have set, which production lacks.
NOT_IN_PRODUCTION = {
    "DJANGO_DEBUG",
    "SECRET_KEY",
    "SECURE_HTTPS",
    "STATIC_MANIFEST",
    "DATABASE_URL",
    "REDIS_URL",
    "SENTRY_DSN",
    "ALLOWED_HOSTS",
    "GEOIP_COUNTRY_DB",
    "EMAIL_HOST",
    "SECURE_HSTS_PRELOAD",
    "SECURE_HSTS_SECONDS",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "JOBTRAX_PRIVACY_EMAIL",
    "AI_API_URL",
    "AI_TRAINING_OPT_OUT_CONFIRMED",
}


@pytest.fixture
def production_env(tmp_path, geoip_country_db) -> dict[str, str]:
    base = {key: value for key, value in os.environ.items() if key not in NOT_IN_PRODUCTION}
    return base | {
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "jobtrax.example,www.jobtrax.example",
        "SECURE_HTTPS": "true",
        "GEOIP_COUNTRY_DB": str(geoip_country_db),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "JOBTRAX_VAR_DIR": str(tmp_path / "var"),
        "JOBTRAX_PRIVACY_EMAIL": "privacy@jobtrax.ai",
    }


def run_python(args: list[str], env_vars: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT,
        env=env_vars,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_passes_djangos_deploy_checks_with_production_values(production_env):
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_fails_the_deploy_checks_when_the_geoip_database_is_missing(production_env, tmp_path):
    production_env["GEOIP_COUNTRY_DB"] = str(tmp_path / "missing.mmdb")

    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env
    )

    assert result.returncode != 0
    assert "jobtrax.W002" in result.stderr + result.stdout


@pytest.mark.parametrize("address", [None, "privacy@jobtrax.example", " PRIVACY@jobtrax.example "])
def test_it_fails_the_deploy_checks_while_the_privacy_address_is_the_default(
    production_env, address
):
    production_env.pop("JOBTRAX_PRIVACY_EMAIL")
    if address is not None:
        production_env["JOBTRAX_PRIVACY_EMAIL"] = address

    # An Error, not a Warning: the default fail level stops the deployment.
    result = run_python(["manage.py", "check", "--deploy"], production_env)

    assert result.returncode != 0
    assert "jobtrax.E020" in result.stderr + result.stdout
    assert "JOBTRAX_PRIVACY_EMAIL" in result.stderr + result.stdout


@pytest.mark.parametrize(("confirmed", "fails"), [(None, True), ("false", True), ("true", False)])
def test_it_fails_the_deploy_checks_while_the_ai_training_opt_out_is_unconfirmed(
    production_env, confirmed, fails
):
    production_env["AI_API_URL"] = "https://api.openai.example/v1/chat/completions"
    if confirmed is not None:
        production_env["AI_TRAINING_OPT_OUT_CONFIRMED"] = confirmed

    result = run_python(["manage.py", "check", "--deploy"], production_env)

    assert ("jobtrax.E021" in result.stderr + result.stdout) is fails
    assert (result.returncode != 0) is fails


def test_it_does_not_bother_a_developer_who_runs_the_plain_checks(production_env):
    production_env.pop("JOBTRAX_PRIVACY_EMAIL")

    result = run_python(["manage.py", "check"], production_env)

    assert "jobtrax.E020" not in result.stderr + result.stdout


PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({name: getattr(s, name) for name in [
    "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE", "CSRF_COOKIE_SAMESITE", "SECURE_REFERRER_POLICY",
    "SECURE_CONTENT_TYPE_NOSNIFF", "X_FRAME_OPTIONS", "ACCOUNT_DEFAULT_HTTP_PROTOCOL"]}))
"""


def test_it_turns_on_https_hsts_and_secure_cookies_in_production(production_env):
    production_env["DJANGO_SETTINGS_MODULE"] = "jobtrax.settings"

    result = run_python(["-c", PRINT_SETTINGS], production_env)

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] in {"Lax", "Strict"}
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SAMESITE"] in {"Lax", "Strict"}
    assert values["SECURE_REFERRER_POLICY"] in {
        "strict-origin-when-cross-origin",
        "strict-origin",
        "same-origin",
        "no-referrer",
    }
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["ACCOUNT_DEFAULT_HTTP_PROTOCOL"] == "https"


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off(production_env):
    del production_env["SECRET_KEY"]
    production_env["DJANGO_SETTINGS_MODULE"] = "jobtrax.settings"

    result = run_python(["-c", "import django; django.setup()"], production_env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set" in result.stderr


def test_it_generates_a_development_key_in_debug_mode(production_env, tmp_path):
    del production_env["SECRET_KEY"]
    production_env |= {"DJANGO_DEBUG": "true", "DJANGO_SETTINGS_MODULE": "jobtrax.settings"}
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"

    result = run_python(["-c", code], production_env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("True")
    assert len((tmp_path / "var" / "dev-secret-key").read_text().strip()) >= 50


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DJANGO_DEBUG", "maybe"),
        ("SECURE_HTTPS", "yes please"),
        ("SESSION_COOKIE_AGE", "two weeks"),
    ],
)
def test_it_refuses_to_start_on_a_bad_environment_value(production_env, name, value):
    production_env |= {name: value, "DJANGO_SETTINGS_MODULE": "jobtrax.settings"}

    result = run_python(["-c", "import django; django.setup()"], production_env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert name in result.stderr


@pytest.mark.parametrize("raw", ["maybe", "2", "enabled", "tru"])
def test_env_bool_fails_loudly_on_a_bad_value(monkeypatch, raw):
    monkeypatch.setenv("JOBTRAX_TEST_FLAG", raw)

    with pytest.raises(ImproperlyConfigured, match="JOBTRAX_TEST_FLAG"):
        env.env_bool("JOBTRAX_TEST_FLAG")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), (" Yes ", True), ("on", True), ("0", False), ("off", False)],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("JOBTRAX_TEST_FLAG", raw)

    assert env.env_bool("JOBTRAX_TEST_FLAG", not expected) is expected


def test_env_helpers_fall_back_to_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("JOBTRAX_TEST_VALUE", raising=False)

    assert env.env_bool("JOBTRAX_TEST_VALUE", True) is True
    assert env.env_int("JOBTRAX_TEST_VALUE", 7) == 7
    assert env.env_float("JOBTRAX_TEST_VALUE", 0.5) == 0.5
    assert env.env_list("JOBTRAX_TEST_VALUE", ["a"]) == ["a"]


@pytest.mark.parametrize("raw", ["ten", "1.5", "0x10", "1e3"])
def test_env_int_fails_loudly_on_a_bad_value(monkeypatch, raw):
    monkeypatch.setenv("JOBTRAX_TEST_VALUE", raw)

    with pytest.raises(ImproperlyConfigured, match="JOBTRAX_TEST_VALUE"):
        env.env_int("JOBTRAX_TEST_VALUE", 1)


def test_env_int_fails_loudly_below_its_minimum(monkeypatch):
    monkeypatch.setenv("JOBTRAX_TEST_VALUE", "5")

    with pytest.raises(ImproperlyConfigured, match="at least 30"):
        env.env_int("JOBTRAX_TEST_VALUE", 300, minimum=30)


def test_env_float_fails_loudly_on_a_bad_value(monkeypatch):
    monkeypatch.setenv("JOBTRAX_TEST_VALUE", "half")

    with pytest.raises(ImproperlyConfigured, match="JOBTRAX_TEST_VALUE"):
        env.env_float("JOBTRAX_TEST_VALUE", 0.0)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("JOBTRAX_TEST_VALUE", " a.example, ,b.example ,")

    assert env.env_list("JOBTRAX_TEST_VALUE") == ["a.example", "b.example"]


NONCE_PAGE = (
    '{% extends "base.html" %}{% block content %}<h1>Probe</h1>{% endblock %}'
    '{% block extra_body %}<script nonce="{{ CSP_NONCE }}">void 0;</script>{% endblock %}'
)


def nonce_probe(request: HttpRequest) -> HttpResponse:
    return HttpResponse(engines["django"].from_string(NONCE_PAGE).render(request=request))


urlpatterns = [*site_urlpatterns, path("nonce-probe/", nonce_probe)]


def _directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.urls("tests.test_security_settings")
def test_it_sends_a_fresh_csp_nonce_with_each_page_that_has_a_script(client, db):
    first = client.get("/nonce-probe/")
    second = client.get("/nonce-probe/")

    nonces = []
    for response in (first, second):
        script_src = _directives(response["Content-Security-Policy"])["script-src"]
        [nonce] = [value for value in script_src if value.startswith("'nonce-")]
        page_nonce = re.search(r'<script nonce="([^"]+)"', response.content.decode()).group(1)
        assert nonce == f"'nonce-{page_nonce}'"
        nonces.append(page_nonce)
    assert nonces[0] != nonces[1]


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/accounts/signup/"])
def test_it_sends_the_security_headers(client, db, url):
    response = client.get(url)

    csp = _directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert "'unsafe-inline'" not in csp.get("style-src", [])
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_it_loads_no_asset_from_another_origin(client, db):
    html = client.get("/accounts/signup/").content.decode()

    assert not re.search(r'(src|href)="(https?:)?//', html)


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/privacy/"])
def test_it_turns_off_the_browser_features_jobtrax_never_uses(client, db, url):
    response = client.get(url)

    policy = dict(part.strip().split("=", 1) for part in response["Permissions-Policy"].split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"):
        assert policy[feature] == "()"
    assert set(policy.values()) == {"()"}


def test_it_sends_the_permissions_policy_on_error_pages_too(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "camera=()" in response["Permissions-Policy"]
