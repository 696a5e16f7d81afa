"""Consent at signup and sign-in: the marketing box and a visitor's choice carry to the account."""

from http import HTTPStatus

from consent.models import ConsentRecord, Method
from tests.test_signup import SIGNUP, signup_data

LOGIN = "/accounts/login/"
DECIDE = "/privacy/choices/decide/"


def test_it_leaves_the_marketing_box_unticked_at_signup(client, db):
    html = client.get(SIGNUP).content.decode()

    box = html[
        html.index('name="marketing_opt_in"') - 200 : html.index('name="marketing_opt_in"') + 100
    ]
    assert "checked" not in box


def test_it_records_the_signup_marketing_choice(client, db):
    client.post(SIGNUP, signup_data(marketing_opt_in="on"))

    record = ConsentRecord.objects.get(user__email="new@example.com")
    assert (record.method, record.marketing, record.analytics) == (Method.SIGNUP, True, False)


def test_it_records_a_refusal_when_the_box_is_left_unticked(client, db):
    client.post(SIGNUP, signup_data())

    record = ConsentRecord.objects.get(user__email="new@example.com")
    assert (record.method, record.marketing) == (Method.SIGNUP, False)


def test_it_carries_a_visitors_analytics_choice_into_the_new_account(client, db):
    client.post(DECIDE, {"action": "accept-all"})
    browser_id = ConsentRecord.objects.get().browser_id

    client.post(SIGNUP, signup_data())

    record = ConsentRecord.objects.get(user__email="new@example.com")
    assert record.analytics is True
    assert record.browser_id == browser_id


def test_it_carries_a_newer_visitor_choice_into_the_account_at_sign_in(client, user, password):
    from consent import services

    services.consent_record(method="signup", choices={"marketing": True}, user=user)
    client.post(DECIDE, {"action": "accept-all"})

    response = client.post(LOGIN, {"login": user.email, "password": password})

    assert response.status_code == HTTPStatus.FOUND
    latest = ConsentRecord.objects.filter(user=user).latest("id")
    assert (latest.method, latest.analytics, latest.marketing) == (Method.ACCEPT_ALL, True, True)


def test_it_keeps_a_newer_account_choice_at_sign_in(client, user, password):
    from consent import services

    client.post(DECIDE, {"action": "accept-all"})
    services.consent_record(method="reject-all", choices={"analytics": False}, user=user)

    client.post(LOGIN, {"login": user.email, "password": password})

    assert ConsentRecord.objects.filter(user=user).count() == 1
    assert not services.consent_state(user=user).analytics


def test_it_does_not_carry_another_accounts_choice_left_in_the_browser(
    client, user, other_user, password
):
    from consent import services

    client.force_login(other_user)
    client.post(DECIDE, {"action": "accept-all"})
    client.post("/accounts/logout/")

    client.post(LOGIN, {"login": user.email, "password": password})

    assert not ConsentRecord.objects.filter(user=user).exists()
    assert not services.consent_state(user=user).analytics


def test_it_signs_in_after_a_visitor_overrode_gpc_in_a_browser_that_stopped_sending_it(
    client, user, password
):
    gpc = {"Sec-GPC": "1"}
    client.post(DECIDE, {"action": "gpc-override"}, headers=gpc)

    response = client.post(LOGIN, {"login": user.email, "password": password})

    assert response.status_code == HTTPStatus.FOUND
    assert not ConsentRecord.objects.filter(user=user).exists()


def test_it_carries_a_gpc_override_when_the_sign_in_still_sends_the_signal(client, user, password):
    gpc = {"Sec-GPC": "1"}
    client.post(DECIDE, {"action": "gpc-override"}, headers=gpc)

    client.post(LOGIN, {"login": user.email, "password": password}, headers=gpc)

    latest = ConsentRecord.objects.filter(user=user).latest("id")
    assert (latest.method, latest.analytics, latest.gpc_override) == (
        Method.GPC_OVERRIDE,
        True,
        True,
    )
