"""The profile page: the user sees and changes their email, location and password."""

import re
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress

from accounts.models import LocationSource, User

PROFILE = "/profile/"
EMAIL_PAGE = "/accounts/email/"


def test_it_sends_an_anonymous_visitor_to_the_login(client, db):
    response = client.get(PROFILE)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/accounts/login/")


def test_it_shows_only_the_signed_in_users_own_data(client, user, other_user):
    User.objects.filter(pk=other_user.pk).update(country="SE", location_source="chosen")
    client.force_login(user)

    response = client.get(PROFILE)

    html = response.content.decode()
    assert user.email in html
    assert other_user.email not in html
    assert response.context["user"] == user
    assert 'data-testid="location">Unknown<' in html


def test_it_shows_email_location_and_links_to_change_them(client_logged_in, user):
    User.objects.filter(pk=user.pk).update(country="GB", region="ENG", location_source="inferred")

    response = client_logged_in.get(PROFILE)

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert user.email in html
    assert "United Kingdom, England" in html
    assert "Inferred from your IP address" in html
    assert 'href="/accounts/email/"' in html
    assert 'href="/accounts/password/change/"' in html


def test_it_saves_a_chosen_country_and_region(client_logged_in, user):
    response = client_logged_in.post(PROFILE, {"country": "DE", "region": "Bayern"})

    assert response.status_code == HTTPStatus.FOUND
    user.refresh_from_db()
    assert (user.country.code, user.region, user.location_source) == (
        "DE",
        "BY",
        LocationSource.CHOSEN,
    )
    assert user.location_updated_at is not None


def test_it_infers_the_location_again_when_the_country_is_cleared(client, user, geoip):
    User.objects.filter(pk=user.pk).update(country="DE", location_source="chosen")
    client.force_login(user)

    client.post(PROFILE, {"country": "", "region": ""}, REMOTE_ADDR="89.160.20.128")

    user.refresh_from_db()
    assert (user.country.code, user.region, user.location_source) == (
        "SE",
        "E",
        LocationSource.INFERRED,
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"country": "ZZ"}, "country"),
        ({"country": "", "region": "Bavaria"}, "region"),
        ({"country": "DE", "region": "12 Main Street 80331"}, "region"),
    ],
)
def test_it_explains_a_location_it_cannot_accept(client_logged_in, user, data, field):
    response = client_logged_in.post(PROFILE, data)

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors[field]
    user.refresh_from_db()
    assert user.location_source == LocationSource.UNKNOWN


def test_it_replaces_the_email_only_after_the_new_address_is_verified(
    client, user, password, mailoutbox
):
    client.post("/accounts/login/", {"login": user.email, "password": password})
    mailoutbox.clear()

    response = client.post(EMAIL_PAGE, {"email": "alice.new@example.com", "action_add": ""})

    assert response.status_code == HTTPStatus.FOUND
    user.refresh_from_db()
    assert user.email == "alice@example.com"
    assert not EmailAddress.objects.get(email="alice.new@example.com").verified
    [verification] = [m for m in mailoutbox if m.to == ["alice.new@example.com"]]
    key_path = re.search(r"/accounts/confirm-email/[^/\s]+/", verification.body).group(0)

    client.post(key_path)

    user.refresh_from_db()
    assert user.email == "alice.new@example.com"
    assert list(EmailAddress.objects.filter(user=user).values_list("email", flat=True)) == [
        "alice.new@example.com"
    ]
    assert any(m.to == ["alice@example.com"] for m in mailoutbox), "no notice to the old address"


def test_it_lists_the_active_sessions_linked_from_the_profile(client, user, password):
    client.post("/accounts/login/", {"login": user.email, "password": password})

    response = client.get("/accounts/sessions/")

    assert response.status_code == HTTPStatus.OK
    assert len(response.context["sessions"]) == 1
    assert "/accounts/sessions/" in client.get(PROFILE).content.decode()
