"""Objection (notice section 9, GDPR Art. 21): a form on "Your data", a request on the legal
clock for the privacy team, and a defined effect on the processing that rests on legitimate
interests. What security and the law need goes on, and the page says so."""

from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.dashboards import build_locations
from accounts.models import KnownCountry, LocationSource
from consent import marketing
from consent import services as consent_services
from logs_retention.models import RequestLog, SecurityEvent
from logs_retention.services import request_log_flush
from rights import deadlines, services
from rights.models import AuditRecord, DataSubjectRequest
from tests.conftest import make_user

URL = "/data/object/"
GB_IP = "81.2.69.142"
SE_IP = "89.160.20.128"


def log_in(client, user, password, ip):
    return client.post(
        reverse("account_login"), {"login": user.email, "password": password}, REMOTE_ADDR=ip
    )


def test_your_data_links_to_the_objection_form(client_logged_in):
    page = client_logged_in.get("/data/").content.decode()

    assert f'href="{URL}"' in page


def test_the_form_says_what_stops_and_what_cannot_stop(client_logged_in):
    response = client_logged_in.get(URL)

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert 'data-testid="objection-stops"' in page
    assert 'data-testid="objection-continues"' in page
    assert "Security" in page and "What the law requires" in page


@pytest.mark.parametrize("reason", ["", "I do not want to be part of your usage statistics."])
def test_it_records_an_objection_on_the_legal_clock_with_or_without_a_reason(
    client_logged_in, user, reason
):
    response = client_logged_in.post(URL, {"reason": reason})

    dsr = DataSubjectRequest.objects.get(user=user)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/data/requests/{dsr.pk}/"
    assert (dsr.kind, dsr.channel, dsr.details) == ("objection", "self_service", reason)
    # Open for the privacy team, who answer within the legal deadline.
    assert dsr.status == DataSubjectRequest.Status.IN_PROGRESS
    received = timezone.localdate(dsr.received_at)
    assert dsr.due_on == deadlines.due_on(regime=dsr.regime, received=received)
    user.refresh_from_db()
    assert user.processing_objected_at is not None
    assert user.processing_objected
    assert not user.processing_restricted
    page = client_logged_in.get("/data/").content.decode()
    assert f"you objected on {user.processing_objected_at:%-d %B %Y}" in page


def test_it_refuses_a_reason_over_the_limit_with_a_clear_error(client_logged_in, user):
    response = client_logged_in.post(URL, {"reason": "x" * 2001})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "at most 2000 characters" in response.content.decode()
    user.refresh_from_db()
    assert user.processing_objected_at is None
    assert not DataSubjectRequest.objects.exists()


def test_outsiders_are_sent_to_sign_in(client, db):
    response = client.post(URL, {"reason": ""})

    assert response.status_code == HTTPStatus.FOUND
    assert "/accounts/login/" in response["Location"]
    assert not DataSubjectRequest.objects.exists()


def test_it_unlinks_the_persons_requests_from_the_request_log_but_keeps_them(
    client_logged_in, user
):
    client_logged_in.get("/", REMOTE_ADDR=GB_IP)
    services.objection_apply(user=user)
    client_logged_in.get("/", REMOTE_ADDR=GB_IP)
    request_log_flush()

    before, after = RequestLog.objects.order_by("created_at", "pk")
    assert before.user_id == user.pk
    # Still logged with its address, for security, but no longer about this account.
    assert after.user_id is None
    assert after.ip == GB_IP


def test_it_leaves_the_person_out_of_the_location_dashboard(user, settings):
    settings.STAFF_K_ANONYMITY = 1
    user.country = "SE"
    user.save()

    assert "Sweden" in str(build_locations()["countries"])
    services.objection_apply(user=user)

    assert "Sweden" not in str(build_locations()["countries"])


def test_it_stops_location_inference_but_not_the_new_country_alert(
    client, user, password, geoip, mailoutbox
):
    log_in(client, user, password, GB_IP)
    client.post(reverse("account_logout"))
    user.refresh_from_db()
    assert (user.country, user.location_source) == ("GB", LocationSource.INFERRED)
    services.objection_apply(user=user)
    mailoutbox.clear()

    log_in(client, user, password, SE_IP)

    user.refresh_from_db()
    assert user.country == "GB", "the location was inferred again after the objection"
    # Security goes on: the new country is noticed and the owner alerted.
    assert KnownCountry.objects.filter(user=user, country="SE").exists()
    assert SecurityEvent.objects.filter(user=user, kind="new_country").exists()
    assert len(mailoutbox) == 1


def test_it_stops_marketing_and_analytics(user, mailoutbox):
    consent_services.consent_record(
        method="settings", choices={"marketing": True, "analytics": True}, user=user
    )
    services.objection_apply(user=user)
    user.refresh_from_db()

    state = consent_services.consent_state(user=user)
    assert not state.marketing and not state.analytics
    assert marketing.marketing_send(user=user, subject="News", body="Hello") is False
    assert mailoutbox == []


def test_it_keeps_every_feature(client_logged_in, user):
    services.objection_apply(user=user)

    for url in ("/jobs/", "/profile/", "/data/", "/data/requests/new/"):
        assert client_logged_in.get(url).status_code == HTTPStatus.OK, url


def test_support_sees_the_objection_on_the_account(as_role, client, user):
    services.objection_apply(user=user)
    as_role("support")

    page = client.get(reverse("admin:accounts_user_change", args=[user.pk])).content.decode()

    assert "Processing objected at" in page


def test_staff_cannot_record_an_objection_without_a_verified_request(user, db):
    officer = make_user("officer@example.com", is_staff=True)
    dsr = services.request_create(kind="objection", channel="email", subject_email=user.email)

    with pytest.raises(services.RightsError):
        services.objection_apply(user=user, actor=officer, dsr=dsr)

    user.refresh_from_db()
    assert user.processing_objected_at is None
    assert not AuditRecord.objects.filter(action="recorded_objection").exists()


def test_the_privacy_officer_refuses_an_objection_on_compelling_grounds(
    as_role, client, client_logged_in, user, mailoutbox
):
    client_logged_in.post(URL, {"reason": ""})
    dsr = DataSubjectRequest.objects.get(user=user)
    client.logout()
    officer = as_role("privacy")
    grounds = "Fraud checks on this account are under way."

    client.post(
        reverse("admin:rights_datasubjectrequest_act", args=[dsr.pk]),
        {"action": "lift_objection", "reason": grounds},
    )

    user.refresh_from_db()
    dsr.refresh_from_db()
    assert user.processing_objected_at is None
    assert (dsr.status, dsr.denial_reason) == ("denied", grounds)
    [notice] = [m for m in mailoutbox if m.to == [user.email]]
    assert grounds in notice.body
    assert AuditRecord.objects.filter(action="lifted_objection", actor=officer).exists()


@pytest.mark.parametrize(("role", "reason"), [("support", "grounds"), ("ops", "grounds")])
def test_other_roles_cannot_lift_an_objection(as_role, client, user, role, reason):
    dsr = services.objection_apply(user=user)
    as_role(role)

    response = client.post(
        reverse("admin:rights_datasubjectrequest_act", args=[dsr.pk]),
        {"action": "lift_objection", "reason": reason},
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    user.refresh_from_db()
    assert user.processing_objected_at is not None


def test_an_objection_is_not_lifted_without_grounds(user, db, mailoutbox):
    officer = make_user("officer@example.com", is_staff=True)
    dsr = services.objection_apply(user=user)

    with pytest.raises(services.RightsError):
        services.objection_lift(user=user, actor=officer, reason=" ", dsr=dsr)

    user.refresh_from_db()
    assert user.processing_objected_at is not None
    assert mailoutbox == []
