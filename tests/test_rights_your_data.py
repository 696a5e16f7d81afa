"""The "Your data" page, restriction and the self-service requests."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import account_set_location
from logs_retention.models import RequestLog, SecurityEvent
from rights import services
from rights.models import DataSubjectRequest


def _log(user, created_at):
    return RequestLog.objects.create(
        created_at=created_at, method="GET", route="home", status=200, duration_ms=3, user=user
    )


def test_it_shows_account_fields_and_location_source(client_logged_in, user):
    account_set_location(user=user, country="SE", region="E")
    body = client_logged_in.get(reverse("rights:your_data")).content.decode()
    assert "alice@example.com" in body
    assert "Sweden" in body and "Chosen by you" in body


def test_it_summarises_logs_with_the_dates_of_anonymisation_and_deletion(client_logged_in, user):
    oldest = timezone.now() - timedelta(days=10)
    _log(user, oldest)
    _log(user, timezone.now())
    SecurityEvent.objects.create(created_at=oldest, kind="login_succeeded", user=user)
    response = client_logged_in.get(reverse("rights:your_data"))
    logs = {row.title: row for row in response.context["logs"]}
    assert logs["Request logs"].count == 2
    assert logs["Request logs"].oldest == oldest
    milestones = dict(logs["Request logs"].milestones)
    assert milestones["deleted"] == oldest + timedelta(days=365)
    anonymised = next(
        when for what, when in logs["Request logs"].milestones if "anonymised" in what
    )
    assert anonymised == oldest + timedelta(days=90)
    assert logs["Security events"].count == 1
    body = response.content.decode()
    assert (oldest + timedelta(days=90)).strftime("%-d %b %Y") in body


def test_it_follows_the_retention_settings(client_logged_in, user, settings):
    settings.RETENTION_REQUEST_LOG_ANONYMISE_DAYS = 30
    oldest = timezone.now() - timedelta(days=1)
    _log(user, oldest)
    logs = client_logged_in.get(reverse("rights:your_data")).context["logs"]
    anonymised = next(when for what, when in logs[0].milestones if "anonymised" in what)
    assert anonymised == oldest + timedelta(days=30)


def test_it_shows_consent_choices_and_history(client_logged_in, user):
    from consent.models import ConsentRecord

    ConsentRecord.objects.create(
        user=user, analytics=False, marketing=True, method="banner", config_version="1"
    )
    response = client_logged_in.get(reverse("rights:your_data"))
    assert response.context["consent_summary"]["state"].marketing_granted
    assert len(response.context["consent_summary"]["history"]) == 1
    assert reverse("consent:choices") in response.content.decode()


def test_it_lists_every_request_with_status_and_due_date(client_logged_in, user):
    dsr = services.request_create(kind="correction", channel="self_service", user=user)
    body = client_logged_in.get(reverse("rights:your_data")).content.decode()
    assert f"#{dsr.pk} Correction" in body and dsr.due_on.strftime("%-d %b %Y") in body


def test_it_links_every_right(client_logged_in):
    body = client_logged_in.get(reverse("rights:your_data")).content.decode()
    for url in (
        reverse("rights:export_request"),
        reverse("rights:deletion_request"),
        reverse("rights:restriction_request"),
        reverse("rights:request_new"),
        reverse("consent:choices"),
        reverse("account_email"),
        reverse("accounts:profile"),
    ):
        assert url in body


def test_it_shows_nothing_of_another_user(client, user, other_user):
    services.request_create(kind="objection", channel="self_service", user=other_user)
    client.force_login(user)
    response = client.get(reverse("rights:your_data"))
    assert "bob@example.com" not in response.content.decode()
    assert list(response.context["requests"]) == []


def test_it_sends_visitors_to_sign_in(client):
    response = client.get(reverse("rights:your_data"))
    assert response.status_code == HTTPStatus.FOUND


def test_it_restricts_processing_on_request(client_logged_in, user):
    response = client_logged_in.post(reverse("rights:restriction_request"), follow=True)
    user.refresh_from_db()
    assert user.processing_restricted_at is not None
    assert user.processing_restricted
    assert "Processing is restricted" in response.content.decode()
    dsr = DataSubjectRequest.objects.get(user=user)
    assert dsr.kind == "restriction" and dsr.status == "completed"
    client_logged_in.post(reverse("rights:restriction_request"))
    assert DataSubjectRequest.objects.filter(user=user).count() == 1


def test_it_stops_location_inference_while_restricted(client, user, password, geoip):
    from accounts.models import LocationSource

    services.restriction_apply(user=user)
    client.post(
        reverse("account_login"),
        {"login": "alice@example.com", "password": password},
        REMOTE_ADDR="81.2.69.142",
    )
    user.refresh_from_db()
    assert user.location_source == LocationSource.UNKNOWN and not user.country


def test_it_keeps_every_feature_for_a_user_who_restricted(client_logged_in, user):
    """Non-discrimination: the profile, the data page and exports stay available."""
    services.restriction_apply(user=user)
    for name in ("accounts:profile", "rights:your_data", "rights:request_new"):
        assert client_logged_in.get(reverse(name)).status_code == HTTPStatus.OK


def test_it_refuses_restriction_by_get(client_logged_in):
    response = client_logged_in.get(reverse("rights:restriction_request"))
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_it_takes_a_correction_request_into_the_staff_queue(client_logged_in, user):
    response = client_logged_in.post(
        reverse("rights:request_new"), {"kind": "correction", "details": "My sign-up date is wrong"}
    )
    dsr = DataSubjectRequest.objects.get(user=user)
    assert response["Location"] == reverse("rights:request_detail", args=[dsr.pk])
    assert dsr.channel == "self_service" and dsr.is_verified and dsr.status == "in_progress"


@pytest.mark.parametrize(
    "data", [{}, {"kind": "deletion", "details": "x"}, {"kind": "correction", "details": ""}]
)
def test_it_explains_a_bad_request_form(client_logged_in, data):
    response = client_logged_in.post(reverse("rights:request_new"), data)
    assert response.status_code == HTTPStatus.OK
    assert DataSubjectRequest.objects.count() == 0
    assert "errorlist" in response.content.decode()


def test_it_hides_another_users_request(client, user, other_user):
    dsr = services.request_create(kind="objection", channel="self_service", user=other_user)
    client.force_login(user)
    response = client.get(reverse("rights:request_detail", args=[dsr.pk]))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_it_answers_restricted_for_a_deactivated_account(user):
    assert not user.processing_restricted
    user.is_active = False
    assert user.processing_restricted


def test_it_stops_marketing_while_restricted(user):
    from consent.models import ConsentRecord
    from consent.services import marketing_allowed

    ConsentRecord.objects.create(
        user=user, analytics=True, marketing=True, method="banner", config_version="1"
    )
    assert marketing_allowed(user=user)
    services.restriction_apply(user=user)
    assert not marketing_allowed(user=user)


def test_it_shows_no_cookie_banner_to_a_user_who_has_chosen(client_logged_in, user):
    from consent.services import consent_record

    consent_record(method="reject-all", choices={"analytics": False}, user=user)

    response = client_logged_in.get("/data/")

    assert response.status_code == HTTPStatus.OK
    assert 'id="consent-banner"' not in response.content.decode()
