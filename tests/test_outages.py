"""Outages: with Redis unreachable the notice and consent keep working, rate-limited actions
fail closed with a 503; with the database unreachable every page is a 503 too."""

import os
import subprocess
import sys
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from consent.models import ConsentRecord, Method
from tests.conftest import closed_port

RETRY_PAGE = "try again in a minute"


@pytest.fixture
def browser(db) -> Client:
    # A real browser gets the error page; the test client would re-raise the logged error.
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    "path", ["/privacy/", "/", "/privacy/choices/", "/accounts/login/", "/accounts/signup/",
             "/accounts/password/reset/"],
)  # fmt: skip
def test_it_serves_pages_while_redis_is_unreachable(browser, redis_down, path):
    response = browser.get(path)

    assert response.status_code == HTTPStatus.OK


def test_it_shows_the_notice_while_redis_is_unreachable(browser, redis_down):
    html = browser.get("/privacy/").content.decode()

    assert "Privacy notice" in html


def test_it_records_a_consent_choice_while_redis_is_unreachable(browser, redis_down):
    response = browser.post("/privacy/choices/decide/", {"action": "reject-all", "next": "/"})

    assert response.status_code == HTTPStatus.FOUND
    assert ConsentRecord.objects.get().method == Method.REJECT_ALL


def test_it_serves_a_signed_in_person_with_gpc_while_redis_is_unreachable(
    browser, redis_down, user
):
    browser.force_login(user)

    response = browser.get("/profile/", headers={"Sec-GPC": "1"})

    assert response.status_code == HTTPStatus.OK
    assert ConsentRecord.objects.get(user=user).method == Method.GPC


def _assert_try_again_later(response) -> None:
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Retry-After"] == "60"
    assert RETRY_PAGE in response.content.decode()


def test_it_refuses_a_sign_in_it_cannot_count(browser, redis_down, user, password):
    response = browser.post("/accounts/login/", {"login": user.email, "password": password})

    _assert_try_again_later(response)
    assert "_auth_user_id" not in browser.session


def test_it_refuses_a_signup_it_cannot_count(browser, redis_down):
    data = {"email": "newcomer@example.com", "password1": "a-Long-and-unusual-passphrase-42",
            "password2": "a-Long-and-unusual-passphrase-42", "is_adult": "on"}  # fmt: skip

    response = browser.post("/accounts/signup/", data)

    _assert_try_again_later(response)
    assert not get_user_model().objects.filter(email="newcomer@example.com").exists()


def test_it_refuses_a_password_reset_it_cannot_count(browser, redis_down, user):
    response = browser.post("/accounts/password/reset/", {"email": user.email})

    _assert_try_again_later(response)
    assert mail.outbox == []


def test_it_never_lets_a_guess_through_without_a_count(browser, redis_down, user):
    statuses = {
        browser.post(
            "/accounts/login/", {"login": user.email, "password": f"wrong-{n}"}
        ).status_code
        for n in range(12)
    }

    assert statuses == {HTTPStatus.SERVICE_UNAVAILABLE}


# --- the database -----------------------------------------------------------------------------

DATABASE_DOWN = """
import django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
for path in ("/privacy/", "/accounts/login/", "/healthz"):
    response = client.get(path)
    said = "try again in a minute" in response.content.decode()
    checks = response.json()["checks"] if path == "/healthz" else "-"
    print(path, response.status_code, response.get("Retry-After", "-"), said, checks)
"""


@pytest.mark.parametrize(
    "database_url",
    [f"postgres://postgres@127.0.0.1:{closed_port()}/jobtrax", "sqlite:////nonexistent/db.sqlite3"],
    ids=["postgresql-unreachable", "sqlite-missing"],
)
def test_it_answers_503_while_the_database_is_unreachable(database_url):
    env = {**os.environ, "DATABASE_URL": database_url, "ALLOWED_HOSTS": "testserver",
           "DJANGO_SETTINGS_MODULE": "jobtrax.settings", "SENTRY_DSN": ""}  # fmt: skip
    env.pop("REDIS_URL", None)

    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", DATABASE_DOWN], env=env, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "/privacy/ 503 60 True -",
        "/accounts/login/ 503 60 True -",
        "/healthz 503 - False {'database': 'unavailable', 'cache': 'ok', 'broker': 'ok'}",
    ]
