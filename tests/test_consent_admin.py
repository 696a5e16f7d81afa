"""The consent log in the staff console: read-only for everyone, an aggregate with no personal
data, and campaigns sent from the admin."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from consent import services
from consent.models import ConsentRecord, MarketingCampaign
from tests.conftest import staff_login

SUMMARY = "/admin/consent/consentrecord/summary/"


@pytest.fixture
def record(user):
    return services.consent_record(method="accept-all", choices={"analytics": True}, user=user)


def test_it_lets_no_one_add_change_or_delete_a_record_not_even_a_superuser(
    client, superuser, record
):
    staff_login(client, superuser)
    change = reverse("admin:consent_consentrecord_change", args=[record.pk])
    delete = reverse("admin:consent_consentrecord_delete", args=[record.pk])

    assert client.get(change).status_code == HTTPStatus.OK
    assert client.post(change, {"analytics": "", "method": "reject-all"}).status_code == (
        HTTPStatus.FORBIDDEN
    )
    assert client.post(delete, {"post": "yes"}).status_code == HTTPStatus.FORBIDDEN
    assert client.get(reverse("admin:consent_consentrecord_add")).status_code == (
        HTTPStatus.FORBIDDEN
    )
    record.refresh_from_db()
    assert (record.analytics, record.method) == (True, "accept-all")


def test_it_offers_no_bulk_delete_action(client, superuser, record):
    staff_login(client, superuser)

    response = client.post(
        reverse("admin:consent_consentrecord_changelist"),
        {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"},
    )

    assert ConsentRecord.objects.filter(pk=record.pk).exists()
    assert response.status_code in {HTTPStatus.OK, HTTPStatus.FOUND}


def test_it_finds_a_users_consent_history_by_email(client, superuser, record, user):
    staff_login(client, superuser)

    response = client.get(reverse("admin:consent_consentrecord_changelist"), {"q": user.email})

    assert response.status_code == HTTPStatus.OK
    assert list(response.context["cl"].result_list) == [record]


def test_it_shows_counts_over_time_without_personal_data(client, superuser, user, other_user):
    services.consent_record(method="accept-all", choices={"analytics": True}, user=user)
    services.consent_record(method="custom", choices={"analytics": True}, user=user)
    services.consent_record(method="signup", choices={"marketing": True}, user=other_user)
    staff_login(client, superuser)

    response = client.get(SUMMARY)

    assert response.status_code == HTTPStatus.OK
    (row,) = response.context["rows"]
    assert row["user_analytics_granted"] == 1  # two records, one user
    assert row["user_analytics_refused"] == 1
    assert row["user_marketing_granted"] == 1
    html = response.content.decode()
    for personal in (user.email, other_user.email, "81.2.69", "user #"):
        assert personal not in html


def test_it_refuses_the_summary_to_staff_without_the_view_permission(client, staff_user):
    staff_login(client, staff_user)

    assert client.get(SUMMARY).status_code == HTTPStatus.FORBIDDEN


def test_it_sends_the_summary_of_an_outsider_to_the_login(client, user):
    client.force_login(user)

    response = client.get(SUMMARY)

    assert response.status_code == HTTPStatus.FOUND
    assert "login" in response["Location"]


def test_it_sends_a_campaign_from_the_admin(
    client, superuser, user, mailoutbox, django_capture_on_commit_callbacks
):
    services.consent_record(method="settings", choices={"marketing": True}, user=user)
    campaign = MarketingCampaign.objects.create(subject="New: reminders", body="Hello")
    staff_login(client, superuser)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:consent_marketingcampaign_changelist"),
            {"action": "send_to_consenting_users", "_selected_action": [campaign.pk]},
        )

    assert [m.to for m in mailoutbox] == [[user.email]]
    campaign.refresh_from_db()
    assert campaign.queued_at is not None and campaign.sent_count == 1
