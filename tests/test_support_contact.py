"""The contact form at /contact/: for visitors and signed-in users, guarded against abuse."""

from http import HTTPStatus

import pytest
from django.core import mail

from support.models import SupportMessage

URL = "/contact/"


def post(client, **overrides):
    data = {
        "topic": "support",
        "email": "visitor@example.org",
        "message": "How do I move a job to another stage?",
        "website": "",
    }
    data.update(overrides)
    return client.post(URL, data)


def test_it_shows_the_form_with_the_four_topics_and_the_sensitive_data_warning(client, db):
    response = client.get(URL)

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    for value in ("support", "privacy", "sales", "feedback"):
        assert f'value="{value}"' in html
    assert "do not include sensitive personal information" in html
    assert 'name="message"' in html
    assert "mailto:" not in html.split("<form", 1)[1].split("</form>", 1)[0]


def test_it_stores_a_visitors_message_without_an_account(client, db):
    response = post(client)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/contact/sent/"
    message = SupportMessage.objects.get()
    assert (message.topic, message.email, message.user) == ("support", "visitor@example.org", None)
    assert message.status == SupportMessage.Status.OPEN
    assert message.message == "How do I move a job to another stage?"


def test_it_prefills_the_reply_to_address_of_a_signed_in_user(client_logged_in):
    response = client_logged_in.get(URL)

    assert 'value="alice@example.com"' in response.content.decode()


def test_it_links_a_signed_in_users_message_to_their_account(client_logged_in, user):
    post(client_logged_in, email="alice.work@example.com", topic="privacy")

    message = SupportMessage.objects.get()
    assert message.user == user
    assert message.email == "alice.work@example.com"


def test_it_drops_a_message_that_filled_the_hidden_field_and_says_nothing(client, db):
    response = post(client, website="https://spam.example")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/contact/sent/"
    assert not SupportMessage.objects.exists()


def test_it_hides_the_honeypot_from_people(client, db):
    html = client.get(URL).content.decode()

    field = html.split('name="website"', 1)[0].rsplit("<div", 1)[1]
    assert "hidden" in field
    assert 'aria-hidden="true"' in field


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"topic": "lawsuit"}, "Select a valid choice"),
        ({"topic": ""}, "This field is required"),
        ({"email": "not-an-address"}, "Enter a valid email address"),
        ({"email": ""}, "This field is required"),
        ({"message": ""}, "This field is required"),
        ({"message": "   \n  "}, "This field is required"),
        ({"message": "x" * 5001}, "at most 5000 characters"),
        ({"message": "hello\x00there"}, "Null characters are not allowed"),
        ({"email": "a" * 250 + "@example.org"}, "at most 254 characters"),
    ],
)
def test_it_refuses_bad_input_with_a_clear_message(client, db, overrides, error):
    response = post(client, **overrides)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert error in response.content.decode()
    assert not SupportMessage.objects.exists()


def test_it_keeps_unicode_messages_whole(client, db):
    post(client, message="Grüße aus Köln — 日本語 ✓")

    assert SupportMessage.objects.get().message == "Grüße aus Köln — 日本語 ✓"


def test_it_limits_messages_from_one_address(client, db):
    for _ in range(3):
        assert post(client).status_code == HTTPStatus.FOUND

    response = post(client)

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Please wait a few minutes" in response.content.decode()
    assert SupportMessage.objects.count() == 3


def test_it_limits_messages_from_one_ip_address_whatever_the_reply_to(client, db):
    for number in range(5):
        assert post(client, email=f"v{number}@example.org").status_code == HTTPStatus.FOUND

    response = post(client, email="v9@example.org")

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert SupportMessage.objects.count() == 5


def test_it_refuses_rather_than_run_unguarded_when_the_cache_is_down(client, db, settings):
    # A real Redis client pointed at a port where nothing listens.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    # (Django drops its cache connections when CACHES changes.)
    response = post(client)

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert "unavailable right now" in response.content.decode()
    assert not SupportMessage.objects.exists()


def test_it_sends_no_email_to_the_address_typed_in(client, db):
    post(client, email="someone-else@example.org")

    assert mail.outbox == []


def test_it_thanks_the_sender(client, db):
    response = client.get("/contact/sent/")

    assert response.status_code == HTTPStatus.OK
    assert "We have your message" in response.content.decode()


def test_it_says_how_long_a_message_is_kept_from_the_retention_setting(client, db, settings):
    settings.RETENTION_SUPPORT_MESSAGE_DAYS = 180

    html = client.get(URL).content.decode()

    assert "then for 180 days" in html
