import re
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client

from accounts.models import LocationSource, User
from tests.conftest import make_user

SIGNUP = "/accounts/signup/"


def signup_data(**overrides) -> dict:
    data = {
        "email": "new@example.com",
        "password1": "a-Long-and-unusual-passphrase-42",
        "password2": "a-Long-and-unusual-passphrase-42",
        "is_adult": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_it_requires_confirming_the_minimum_age(client, db):
    response = client.post(SIGNUP, signup_data(is_adult=None))

    assert response.status_code == HTTPStatus.OK
    assert "You must be 18 or older" in response.content.decode()
    assert not User.objects.exists()


def test_it_stores_when_adulthood_was_confirmed_and_no_birth_date(client, db):
    client.post(SIGNUP, signup_data())

    user = User.objects.get(email="new@example.com")
    assert user.adult_confirmed_at is not None
    field_names = {field.name for field in User._meta.get_fields()}
    assert not {"birth_date", "date_of_birth", "birthday", "age"} & field_names


def test_it_infers_a_coarse_location_from_the_ip(client, db, geoip):
    client.post(SIGNUP, signup_data(), REMOTE_ADDR="81.2.69.142")

    user = User.objects.get(email="new@example.com")
    assert (user.country.code, user.region) == ("GB", "ENG")
    assert user.location_source == LocationSource.INFERRED
    stored = " ".join(
        str(value) for value in User.objects.filter(pk=user.pk).values().get().values()
    )
    assert "London" not in stored
    assert "51.5" not in stored


def test_it_keeps_a_chosen_location_over_the_ip(client, db, geoip):
    client.post(SIGNUP, signup_data(country="FR", region="Bretagne"), REMOTE_ADDR="81.2.69.142")

    user = User.objects.get(email="new@example.com")
    assert (user.country.code, user.region) == ("FR", "BRE")
    assert user.location_source == LocationSource.CHOSEN


def test_it_signs_up_with_unknown_location_when_there_is_no_database(client, db, settings):
    settings.GEOIP_COUNTRY_DB = ""

    response = client.post(SIGNUP, signup_data(), REMOTE_ADDR="81.2.69.142")

    assert response.status_code == HTTPStatus.FOUND
    user = User.objects.get(email="new@example.com")
    assert user.location_source == LocationSource.UNKNOWN
    assert not user.country


def test_it_requires_email_verification_before_use(client, db, mailoutbox):
    response = client.post(SIGNUP, signup_data())

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/accounts/confirm-email/"
    assert not EmailAddress.objects.get(email="new@example.com").verified
    assert len(mailoutbox) == 1
    login = client.post(
        "/accounts/login/",
        {"login": "new@example.com", "password": "a-Long-and-unusual-passphrase-42"},
    )
    assert login["Location"] == "/accounts/confirm-email/"
    assert client.get("/profile/").status_code == HTTPStatus.FOUND


@pytest.mark.parametrize("existing", [True, False])
def test_it_does_not_reveal_whether_an_email_is_registered(client, db, mailoutbox, existing):
    if existing:
        User.objects.create_user(email="new@example.com", password="whatever-Else-123")

    response = client.post(SIGNUP, signup_data())

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/accounts/confirm-email/"


class CountingHasher(MD5PasswordHasher):
    """Fast, and notes every password it hashes: a probe for the work each path does."""

    algorithm = "counting"
    hashed: list[str] = []

    def encode(self, password: str, salt: str) -> str:
        self.hashed.append(password)
        return super().encode(password, salt)


@pytest.fixture
def hashed_passwords(settings) -> list[str]:
    settings.PASSWORD_HASHERS = ["tests.test_signup.CountingHasher", *settings.PASSWORD_HASHERS]
    CountingHasher.hashed.clear()
    return CountingHasher.hashed


@pytest.mark.parametrize("existing", [True, False])
def test_it_hashes_the_submitted_password_whether_or_not_the_email_is_registered(
    client, db, hashed_passwords, existing
):
    if existing:
        make_user("new@example.com")
    hashed_passwords.clear()

    client.post(SIGNUP, signup_data())

    assert hashed_passwords == [signup_data()["password1"]]


def _signup_as_a_stranger(*, email: str) -> tuple[dict, str, str]:
    """The Set-Cookie names with their attributes, the next page, and that page's HTML."""
    browser = Client()
    browser.get(SIGNUP)
    response = browser.post(SIGNUP, signup_data(email=email))
    cookies = {
        name: {key: morsel[key] for key in ("max-age", "path", "httponly", "samesite")}
        for name, morsel in response.cookies.items()
    }
    next_page = browser.get(response["Location"])
    html = re.sub(r'(value|nonce)="[^"]+"', r'\1="..."', next_page.content.decode())
    return cookies, response["Location"], html


def test_it_answers_a_registered_and_a_new_address_alike(db, mailoutbox):
    make_user("taken@example.com")

    registered = _signup_as_a_stranger(email="taken@example.com")
    new = _signup_as_a_stranger(email="fresh@example.com")

    assert User.objects.filter(email="fresh@example.com").exists()
    assert registered[0] == new[0]
    assert registered[1] == new[1] == "/accounts/confirm-email/"
    registered_html = registered[2].replace("taken@example.com", "ADDRESS")
    assert registered_html == new[2].replace("fresh@example.com", "ADDRESS")
    assert len(mailoutbox) == 2


def _signup_queries(email: str) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    browser = Client()
    browser.get(SIGNUP)
    with CaptureQueriesContext(connection) as queries:
        response = browser.post(SIGNUP, signup_data(email=email))
    assert response.status_code == HTTPStatus.FOUND
    return [query["sql"].split(" ", 1)[0] for query in queries.captured_queries]


def test_a_registered_and_a_new_address_make_the_same_number_of_queries(
    transactional_db, mailoutbox
):
    """The work, not only the answer, is alike: the time a signup takes does not tell.
    (Outside a test transaction, as in production: a request's own transaction is the outer
    one, not a savepoint of the test's.)"""
    make_user("taken@example.com")
    _signup_queries("warm@example.com")  # per-process memos (the notice in force) filled
    mailoutbox.clear()

    registered = _signup_queries("taken@example.com")
    new = _signup_queries("fresh@example.com")

    assert len(registered) == len(new), (registered, new)
    assert registered.count("INSERT") == new.count("INSERT")
    assert not User.objects.filter(email__endswith="signup.invalid").exists()
    assert User.objects.filter(email="fresh@example.com").exists()
    assert [m.to for m in mailoutbox] == [["taken@example.com"], ["fresh@example.com"]]
