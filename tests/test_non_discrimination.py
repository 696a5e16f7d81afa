"""Using a privacy right costs no feature, except what the right itself stops.

Each test exercises a right (an export, a deletion request that is cancelled, withdrawing every
consent, a restriction), then takes the same tour of the signed-in service as an account that
used no right, and expects the same answers.
"""

from http import HTTPStatus

import pytest
from django.urls import reverse

from accounts.models import User
from rights import services
from support.models import SupportMessage
from tests.conftest import make_user

PAGES = (
    "accounts:profile",
    "rights:your_data",
    "rights:request_new",
    "support:contact",
    "privacy:notice",
    "consent:choices",
    # The job tracker.
    "jobs:board",
    "jobs:list",
    "jobs:new",
    "jobs:export_csv",
    "jobs:calendar",
)


def _urls() -> list[str]:
    return [reverse(name) for name in PAGES]


def tour(client, user) -> dict[str, int]:
    """What each feature answers this account: pages, and the writes a person makes."""
    client.force_login(User.objects.get(pk=user.pk))
    answers = {url: client.get(url).status_code for url in _urls()}
    answers["save location"] = client.post(
        reverse("accounts:profile"), {"country": "DE", "region": "BY"}
    ).status_code
    answers["contact us"] = client.post(
        reverse("support:contact"),
        {"topic": "feedback", "email": user.email, "message": "Nice.", "website": ""},
    ).status_code
    answers["track a job"] = client.post(
        reverse("jobs:new"), {"title": "Data engineer", "company": "Acme", "workplace": "remote"}
    ).status_code
    answers["ask staff"] = client.post(
        reverse("rights:request_new"), {"kind": "correction", "details": "Fix my date."}
    ).status_code
    return answers


@pytest.fixture
def baseline(client, db):
    """The answers for an account that used no right."""
    answers = tour(client, make_user("carol@example.com"))
    client.logout()
    assert set(answers.values()) <= {HTTPStatus.OK, HTTPStatus.FOUND}
    assert answers["save location"] == answers["track a job"] == HTTPStatus.FOUND
    return answers


def test_it_keeps_every_feature_after_an_export(client, user, baseline, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    export, created = services.export_request(user=user)
    assert created

    assert tour(client, user) == baseline
    user.refresh_from_db()
    assert (user.is_active, user.processing_restricted_at) == (True, None)


def test_it_keeps_every_feature_and_all_data_after_a_cancelled_deletion_request(
    client, user, baseline
):
    User.objects.filter(pk=user.pk).update(country="FR", region="BRE", location_source="chosen")
    SupportMessage.objects.create(topic="support", email=user.email, message="Hi", user=user)
    dsr = services.deletion_start(user=user)
    user.refresh_from_db()
    assert not user.is_active  # what the right itself does while it may still be cancelled

    services.deletion_cancel_on_login(user=user)

    user.refresh_from_db()
    assert user.is_active
    assert (user.country.code, user.region) == ("FR", "BRE")
    assert SupportMessage.objects.filter(user=user).count() == 1
    dsr.refresh_from_db()
    assert dsr.status == "cancelled"
    assert tour(client, user) == baseline


def test_it_keeps_every_feature_after_withdrawing_every_consent(client, user, baseline):
    from consent.models import ConsentRecord
    from consent.services import consent_record

    consent_record(method="settings", choices={"marketing": True}, user=user)
    client.force_login(user)
    client.post("/privacy/choices/decide/", {"action": "accept-all", "next": "/"})
    client.post("/privacy/choices/decide/", {"action": "withdrawal", "next": "/"})
    latest = ConsentRecord.objects.filter(user=user).latest("id")
    assert (latest.analytics, latest.marketing) == (False, False)

    assert tour(client, user) == baseline


def test_it_keeps_every_feature_while_processing_is_restricted(client, user, baseline):
    services.restriction_apply(user=user)

    assert tour(client, user) == baseline
