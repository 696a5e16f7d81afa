"""Sign-in: new-country alerts, rate limits on a real cache, the admin login, no enumeration."""

from http import HTTPStatus

import pytest
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.test import Client

from accounts.models import KnownCountry, LocationSource, User

LOGIN = "/accounts/login/"
LOGOUT = "/accounts/logout/"
PASSWORD_RESET = "/accounts/password/reset/"
PROFILE = "/profile/"
LANDING = "/jobs/"
GB_IP = "81.2.69.142"
SE_IP = "89.160.20.128"
ALERT_SUBJECT = "Sign-in from a new country"


def log_in(client: Client, email: str, password: str, ip: str = "127.0.0.1"):
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=ip)


def test_it_records_the_first_country_without_an_alert(client, user, password, geoip, mailoutbox):
    response = log_in(client, user.email, password, ip=GB_IP)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == LANDING
    assert list(KnownCountry.objects.filter(user=user).values_list("country", flat=True)) == ["GB"]
    assert mailoutbox == []


def test_it_alerts_on_a_sign_in_from_a_new_country(client, user, password, geoip, mailoutbox):
    log_in(client, user.email, password, ip=GB_IP)
    client.post(LOGOUT)

    response = log_in(client, user.email, password, ip=SE_IP)

    assert response.status_code == HTTPStatus.FOUND
    assert len(mailoutbox) == 1
    alert = mailoutbox[0]
    assert alert.to == [user.email]
    assert ALERT_SUBJECT in alert.subject
    assert "Sweden" in alert.body
    assert SE_IP not in alert.body
    assert set(KnownCountry.objects.filter(user=user).values_list("country", flat=True)) == {
        "GB",
        "SE",
    }


def test_it_does_not_alert_again_for_a_known_country(client, user, password, geoip, mailoutbox):
    for ip in (GB_IP, SE_IP, GB_IP, SE_IP):
        log_in(client, user.email, password, ip=ip)
        client.post(LOGOUT)

    assert [ALERT_SUBJECT in message.subject for message in mailoutbox] == [True]


def test_it_updates_an_inferred_location_but_never_a_chosen_one(client, user, password, geoip):
    log_in(client, user.email, password, ip=SE_IP)
    user.refresh_from_db()
    assert (user.country.code, user.location_source) == ("SE", LocationSource.INFERRED)

    User.objects.filter(pk=user.pk).update(country="FR", region="", location_source="chosen")
    client.post(LOGOUT)
    log_in(client, user.email, password, ip=GB_IP)

    user.refresh_from_db()
    assert (user.country.code, user.location_source) == ("FR", LocationSource.CHOSEN)


def test_it_counts_rate_limits_in_a_real_cache():
    assert not isinstance(caches["default"], DummyCache)


def test_it_locks_out_an_account_after_repeated_failed_logins(user, password):
    attacker = Client()
    for _ in range(5):
        response = log_in(attacker, user.email, "wrong-Guess-123456")
        assert response.status_code == HTTPStatus.OK
        assert "too many" not in response.content.decode().lower()

    response = log_in(Client(), user.email, password)

    assert response.status_code in {HTTPStatus.OK, HTTPStatus.TOO_MANY_REQUESTS}
    assert "too many failed login attempts" in response.content.decode().lower()
    assert "_auth_user_id" not in response.wsgi_request.session


def test_it_sends_the_admin_login_through_allauth(client, db):
    response = client.get("/admin/login/")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(LOGIN)


def test_it_sends_an_anonymous_visit_to_the_admin_to_the_allauth_login(client, db):
    response = client.get("/admin/", follow=True)

    assert response.status_code == HTTPStatus.OK
    final_url, _status = response.redirect_chain[-1]
    assert final_url.startswith(LOGIN)


def test_it_rate_limits_staff_on_the_admin_sign_in_too(staff_user, password):
    attacker = Client()
    for _ in range(5):
        log_in(attacker, staff_user.email, "wrong-Guess-123456")

    response = Client().post(
        f"{LOGIN}?next=/admin/", {"login": staff_user.email, "password": password}
    )

    assert "too many failed login attempts" in response.content.decode().lower()


@pytest.mark.parametrize("email", ["alice@example.com", "nobody@example.com"])
def test_it_answers_a_password_reset_the_same_for_known_and_unknown_emails(
    client, user, mailoutbox, email
):
    response = client.post(PASSWORD_RESET, {"email": email})

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/accounts/password/reset/done/"
    done = client.get(response["Location"])
    assert done.status_code == HTTPStatus.OK
    assert email not in done.content.decode()


def test_it_sends_the_reset_link_only_to_a_registered_address(client, user, mailoutbox):
    client.post(PASSWORD_RESET, {"email": user.email})
    client.post(PASSWORD_RESET, {"email": "nobody@example.com"})

    to = [message.to for message in mailoutbox]
    assert [user.email] in to
    # allauth tells an unknown address that it has no account, without a reset link.
    unknown = [m for m in mailoutbox if m.to == ["nobody@example.com"]]
    assert all("/accounts/password/reset/key/" not in m.body for m in unknown)


def test_it_renders_the_same_page_for_a_known_and_an_unknown_email(user):
    pages = []
    for email in (user.email, "nobody@example.com"):
        response = Client().post(PASSWORD_RESET, {"email": email}, follow=True)
        pages.append((response.status_code, response.redirect_chain, _main(response)))

    assert pages[0] == pages[1]


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def _sign_up(client: Client, *, country: str, ip: str) -> User:
    passphrase = "a-Long-and-unusual-passphrase-42"
    client.post(
        "/accounts/signup/",
        {
            "email": "traveller@example.com",
            "password1": passphrase,
            "password2": passphrase,
            "is_adult": "on",
            "country": country,
        },
        REMOTE_ADDR=ip,
    )
    user = User.objects.get(email="traveller@example.com")
    user.emailaddress_set.update(verified=True)
    return user


def test_it_remembers_the_signup_country_not_the_chosen_one(client, db, geoip, mailoutbox):
    user = _sign_up(client, country="FR", ip=GB_IP)
    mailoutbox.clear()

    log_in(Client(), user.email, "a-Long-and-unusual-passphrase-42", ip=GB_IP)

    assert mailoutbox == []
    assert list(KnownCountry.objects.filter(user=user).values_list("country", flat=True)) == ["GB"]
    user.refresh_from_db()
    assert (user.country.code, user.location_source) == ("FR", LocationSource.CHOSEN)


def test_it_alerts_when_a_new_account_signs_in_from_another_country(client, db, geoip, mailoutbox):
    user = _sign_up(client, country="FR", ip=GB_IP)
    mailoutbox.clear()

    log_in(Client(), user.email, "a-Long-and-unusual-passphrase-42", ip=SE_IP)

    assert [ALERT_SUBJECT in message.subject for message in mailoutbox] == [True]
