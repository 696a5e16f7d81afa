"""Passwords: Argon2id above OWASP's floor, old hashes upgraded at login, validators, sessions."""

import re
from http import HTTPStatus

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, identify_hasher
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from accounts.hashers import JobtraxArgon2PasswordHasher
from accounts.models import User

LOGIN = "/accounts/login/"
SIGNUP = "/accounts/signup/"
CHANGE_PASSWORD = "/accounts/password/change/"
PROFILE = "/profile/"
LANDING = "/jobs/"
ARGON2_RE = re.compile(
    r"^argon2\$argon2id\$v=19\$m=(?P<m>\d+),t=(?P<t>\d+),p=(?P<p>\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$"
)


def argon2_params(encoded: str) -> dict[str, int]:
    match = ARGON2_RE.match(encoded)
    assert match, f"not an Argon2id hash: {encoded[:30]}..."
    return {key: int(value) for key, value in match.groupdict().items()}


class WeakArgon2Hasher(JobtraxArgon2PasswordHasher):
    """Argon2id with parameters an older release might have used."""

    time_cost = 1
    memory_cost = 8192


def test_it_hashes_new_passwords_with_argon2id_above_the_owasp_floor(user, password):
    user.refresh_from_db()
    params = argon2_params(user.password)

    assert params["m"] >= 19 * 1024
    assert params["t"] >= 2
    assert params["p"] >= 1
    assert password not in user.password
    assert user.check_password(password)


def _log_in(client: Client, email: str, password: str):
    return client.post(LOGIN, {"login": email, "password": password})


@pytest.mark.parametrize(
    "old_hash",
    [
        pytest.param(
            lambda pw: PBKDF2PasswordHasher().encode(pw, "oldsalt1234567890"), id="pbkdf2"
        ),
        pytest.param(
            lambda pw: WeakArgon2Hasher().encode(pw, "weaksalt12345678"), id="weak-argon2"
        ),
    ],
)
def test_it_upgrades_an_older_hash_at_the_next_login(client, user, password, old_hash):
    User.objects.filter(pk=user.pk).update(password=old_hash(password))
    before = User.objects.get(pk=user.pk).password

    response = _log_in(client, user.email, password)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == LANDING
    after = User.objects.get(pk=user.pk).password
    assert after != before
    assert identify_hasher(after).algorithm == "argon2"
    params = argon2_params(after)
    expected = JobtraxArgon2PasswordHasher()
    assert (params["m"], params["t"], params["p"]) == (
        expected.memory_cost,
        expected.time_cost,
        expected.parallelism,
    )


def test_it_does_not_touch_the_hash_after_a_failed_login(client, user):
    User.objects.filter(pk=user.pk).update(
        password=PBKDF2PasswordHasher().encode("the-Real-passphrase-77", "oldsalt1234567890")
    )
    before = User.objects.get(pk=user.pk).password

    response = _log_in(client, user.email, "not-the-passphrase-00")

    assert response.status_code == HTTPStatus.OK
    assert User.objects.get(pk=user.pk).password == before


@pytest.mark.parametrize(
    "weak",
    ["qwertyuiop", "password123", "1234567890123", "short-1"],
    ids=["common", "common-with-digits", "numeric", "too-short"],
)
def test_it_refuses_weak_passwords_at_signup(client, db, weak):
    response = client.post(
        SIGNUP,
        {"email": "weak@example.com", "password1": weak, "password2": weak, "is_adult": "on"},
    )

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["password1"]
    assert not User.objects.filter(email="weak@example.com").exists()


def test_it_turns_on_the_common_password_validator():
    with pytest.raises(ValidationError) as error:
        validate_password("iloveyou12")

    assert "password_too_common" in {e.code for e in error.value.error_list}


@pytest.mark.parametrize("length", [64, 200])
def test_it_accepts_long_passphrases_at_signup(client, db, length):
    passphrase = ("Tr0ub4dor&3-horse-" * 20)[:length]
    assert len(passphrase) == length

    response = client.post(
        SIGNUP,
        {
            "email": "long@example.com",
            "password1": passphrase,
            "password2": passphrase,
            "is_adult": "on",
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/accounts/confirm-email/"
    assert User.objects.get(email="long@example.com").check_password(passphrase)


def test_it_ends_the_other_sessions_but_keeps_this_one_on_a_password_change(
    user, password, mailoutbox
):
    this_browser, other_browser = Client(), Client()
    for browser in (this_browser, other_browser):
        assert _log_in(browser, user.email, password).status_code == HTTPStatus.FOUND
        assert browser.get(PROFILE).status_code == HTTPStatus.OK
    new_password = "a-Brand-new-passphrase-2024"

    response = this_browser.post(
        CHANGE_PASSWORD,
        {"oldpassword": password, "password1": new_password, "password2": new_password},
    )

    assert response.status_code == HTTPStatus.FOUND
    user.refresh_from_db()
    assert user.check_password(new_password)
    assert this_browser.get(PROFILE).status_code == HTTPStatus.OK
    kicked_out = other_browser.get(PROFILE)
    assert kicked_out.status_code == HTTPStatus.FOUND
    assert kicked_out["Location"].startswith(LOGIN)
    assert [m.to for m in mailoutbox] == [[user.email]]
    assert "password" in mailoutbox[0].subject.lower()
