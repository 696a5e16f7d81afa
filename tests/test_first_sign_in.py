"""The first sign-in: confirming the email address in the browser that signed up lands the
person signed in on the board; the account emails speak JobTrax's words."""

import re

import pytest
from django.urls import reverse

from tests.test_signup import SIGNUP, signup_data

pytestmark = pytest.mark.django_db


def _confirm_path(mailoutbox) -> str:
    [message] = mailoutbox
    return re.search(r"/accounts/confirm-email/[^/\s]+/", message.body).group(0)


def test_confirming_the_email_where_one_signed_up_lands_signed_in_on_the_board(client, mailoutbox):
    client.post(SIGNUP, signup_data())
    path = _confirm_path(mailoutbox)

    response = client.post(path)

    assert response["Location"] == reverse("jobs:board")
    assert client.get(reverse("jobs:board")).status_code == 200


def test_confirming_in_another_browser_asks_for_the_password(client, mailoutbox):
    from django.test import Client

    client.post(SIGNUP, signup_data())
    other = Client()

    response = other.post(_confirm_path(mailoutbox))

    assert response["Location"].startswith(reverse("account_login"))
    assert other.get(reverse("jobs:board")).status_code == 302


ALLAUTH_WORDING = ("Hello from", "Thank you for using", "You're receiving this",
                   "You are receiving this", "Please Confirm", "Password Reset E-mail",
                   "Password Reset Email")  # fmt: skip


def test_every_allauth_account_email_has_jobtrax_wording():
    from pathlib import Path

    import allauth
    from django.conf import settings

    theirs = Path(allauth.__file__).parent / "templates" / "account" / "email"
    ours = Path(settings.BASE_DIR) / "templates" / "account" / "email"
    skipped = {"login_code_message.txt", "login_code_subject.txt",
               "password_reset_code_message.txt", "password_reset_code_subject.txt",
               "password_reset_message.txt", "password_reset_subject.txt",
               "email_confirm_subject.txt", "email_deleted_subject.txt",
               "password_set_subject.txt"}  # fmt: skip
    missing = sorted(
        p.name
        for p in theirs.glob("*.txt")
        if p.name not in skipped and not (ours / p.name).exists()
    )

    assert missing == []


def test_the_emails_of_signing_up_and_resetting_a_password_use_jobtrax_wording(
    client, mailoutbox, user
):
    from tests.conftest import PASSWORD

    client.post(SIGNUP, signup_data())
    client.post(SIGNUP, signup_data())  # the same address again: "you already have one"
    client.post(reverse("account_reset_password"), {"email": user.email})
    client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    client.force_login(user)
    client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "An-other-long-passphrase-77",
         "password2": "An-other-long-passphrase-77"},
    )  # fmt: skip

    assert len(mailoutbox) >= 4
    for message in mailoutbox:
        text = message.subject + "\n" + message.body
        assert not [w for w in ALLAUTH_WORDING if w in text], text
        assert "JobTrax" in message.body
