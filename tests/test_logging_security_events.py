"""The security event log: sign-ins, failures, throttling, password and email changes, countries."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from logs_retention.models import SecurityEvent

LOGIN = "/accounts/login/"


def _kinds() -> list[str]:
    return list(SecurityEvent.objects.order_by("pk").values_list("kind", flat=True))


def _no_email_anywhere(*emails: str) -> None:
    for row in SecurityEvent.objects.values():
        text = " ".join(str(value) for value in row.values()).lower()
        for email in emails:
            assert email.lower() not in text


@pytest.mark.django_db
def test_it_records_a_successful_sign_in_by_user_id(client, user, password):
    response = client.post(LOGIN, {"login": user.email, "password": password})

    assert response.status_code == HTTPStatus.FOUND
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGIN_SUCCEEDED)
    assert event.user_id == user.pk
    assert event.ip == "127.0.0.1"
    _no_email_anywhere(user.email)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("login", "names_user"), [("alice@example.com", True), ("nobody@example.com", False)]
)
def test_it_records_a_failed_sign_in_without_the_address_typed(client, user, login, names_user):
    response = client.post(LOGIN, {"login": login, "password": "wrong-password-123"})

    assert response.status_code == HTTPStatus.OK
    event = SecurityEvent.objects.get()
    assert event.kind == SecurityEvent.Kind.LOGIN_FAILED
    assert event.user_id == (user.pk if names_user else None)
    _no_email_anywhere(login)


@pytest.mark.django_db
def test_it_records_throttling_after_too_many_failures(client, user):
    for _ in range(6):
        client.post(LOGIN, {"login": user.email, "password": "wrong-password-123"})

    assert _kinds().count(SecurityEvent.Kind.LOGIN_FAILED) == 5
    assert _kinds()[-1] == SecurityEvent.Kind.THROTTLED


@pytest.mark.django_db
def test_it_records_a_rate_limited_response(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "1/m/ip"}
    url = reverse("account_reset_password")
    client.post(url, {"email": "someone@example.com"})
    response = client.post(url, {"email": "someone@example.com"})

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.THROTTLED)
    assert event.detail == "account_reset_password"
    _no_email_anywhere("someone@example.com")


@pytest.mark.django_db
def test_it_records_a_password_change(client_logged_in, user, password):
    response = client_logged_in.post(
        reverse("account_change_password"),
        {
            "oldpassword": password,
            "password1": "another-Long-pass-77",
            "password2": "another-Long-pass-77",
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    assert SecurityEvent.objects.get(kind=SecurityEvent.Kind.PASSWORD_CHANGED).user_id == user.pk


@pytest.mark.django_db
def test_it_records_an_email_change(client_logged_in, user):
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC

    client_logged_in.post(reverse("account_email"), {"action_add": "", "email": "new@example.com"})
    added = EmailAddress.objects.get(email="new@example.com")
    key = EmailConfirmationHMAC(added).key
    response = client_logged_in.post(reverse("account_confirm_email", args=[key]))

    assert response.status_code == HTTPStatus.FOUND
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.EMAIL_CHANGED)
    assert event.user_id == user.pk
    _no_email_anywhere("new@example.com", user.email)


@pytest.mark.django_db
def test_it_records_a_sign_in_from_a_new_country(client, user, password, geoip):
    client.post(LOGIN, {"login": user.email, "password": password}, REMOTE_ADDR="81.2.69.142")
    client.logout()
    client.post(LOGIN, {"login": user.email, "password": password}, REMOTE_ADDR="89.160.20.128")

    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.NEW_COUNTRY)
    assert (event.user_id, event.country) == (user.pk, "SE")


@pytest.mark.django_db
def test_a_client_hammering_a_rate_limited_form_adds_one_throttle_event_a_minute(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "1/m/ip"}
    url = reverse("account_reset_password")
    for _ in range(200):
        client.post(url, {"email": "someone@example.com"})

    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.THROTTLED).count() == 1
