"""Account emails and messages name the person by their own address and the site by its
settings, and every emailed link starts with SITE_URL, whatever host the request came in on."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from rights import services as rights
from tests.conftest import PASSWORD

SITE_URL = "https://jobs.jobtrax.test"
HOST = "127.0.0.1"
LINK = re.compile(r"https?://[^\s>\"]+")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE_URL
    settings.ALLOWED_HOSTS = [HOST, "testserver"]
    settings.JOBTRAX_COMPANY_NAME = "Example Careers Ltd"


def _sign_up(client, email: str) -> None:
    client.post(
        reverse("account_signup"),
        {"email": email, "password1": PASSWORD, "password2": PASSWORD, "is_adult": "on"},
        HTTP_HOST=HOST,
    )


def _links(message) -> list[str]:
    return LINK.findall(message.body)


def test_the_verification_email_greets_from_the_company_and_names_the_address(
    client, db, mailoutbox
):
    _sign_up(client, "newcomer@jobseeker.test")

    [message] = mailoutbox
    assert "run by Example Careers Ltd" in message.body
    assert "a JobTrax account with this address (newcomer@jobseeker.test)" in message.body
    assert "on jobs.jobtrax.test" in message.body
    assert "example.com" not in message.body
    assert "User #" not in message.body


def test_the_signed_in_message_names_the_person_by_their_address(client, user):
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True
    )

    assert response.status_code == HTTPStatus.OK
    body = response.content.decode()
    assert f"Successfully signed in as {user.email}" in body
    assert "User #" not in body


def _verification(client, user, mailoutbox, capture_on_commit):
    _sign_up(client, "newcomer@jobseeker.test")


def _password_reset(client, user, mailoutbox, capture_on_commit):
    client.post(reverse("account_reset_password"), {"email": user.email}, HTTP_HOST=HOST)


def _unknown_account(client, user, mailoutbox, capture_on_commit):
    client.post(
        reverse("account_reset_password"), {"email": "nobody@jobseeker.test"}, HTTP_HOST=HOST
    )


def _deletion(client, user, mailoutbox, capture_on_commit):
    rights.deletion_start(user=user)


def _export(client, user, mailoutbox, capture_on_commit):
    client.force_login(user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD}, HTTP_HOST=HOST)
    with capture_on_commit(execute=True):
        client.post(reverse("rights:export_request"), HTTP_HOST=HOST)


@pytest.mark.parametrize(
    ("send", "path"),
    [
        (_verification, "/accounts/confirm-email/"),
        (_password_reset, "/accounts/password/reset/key/"),
        (_unknown_account, "/accounts/signup/"),
        (_deletion, "/data/delete/cancel/"),
        (_export, "/data/exports/"),
    ],
)
def test_every_emailed_link_starts_with_site_url(
    client, user, mailoutbox, send, path, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    send(client, user, mailoutbox, django_capture_on_commit_callbacks)

    links = [link for message in mailoutbox for link in _links(message)]
    assert any(link.startswith(f"{SITE_URL}{path}") for link in links), links
    assert [link for link in links if not link.startswith(SITE_URL)] == []
