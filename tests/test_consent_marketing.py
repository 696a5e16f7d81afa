"""Marketing emails: one sending service, consent checked, one-click unsubscribe, campaigns."""

import json
from http import HTTPStatus
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.core.management import call_command
from django.utils import timezone

from consent import marketing, services
from consent.models import CampaignDelivery, ConsentRecord, MarketingCampaign, Method
from tests.conftest import make_user


def grant_marketing(user):
    services.consent_record(method="settings", choices={"marketing": True}, user=user)


def unsubscribe_path(url: str) -> str:
    return urlsplit(url).path


def test_it_refuses_to_send_without_marketing_consent(user, mailoutbox):
    sent = marketing.marketing_send(user=user, subject="News", body="Hello")

    assert sent is False
    assert mailoutbox == []


def test_it_refuses_to_send_after_the_user_withdrew(user, mailoutbox):
    grant_marketing(user)
    services.consent_record(method="withdrawal", choices={"marketing": False}, user=user)

    assert marketing.marketing_send(user=user, subject="News", body="Hello") is False
    assert mailoutbox == []


def test_it_refuses_to_send_when_processing_is_restricted(user, mailoutbox):
    grant_marketing(user)
    user.processing_restricted_at = timezone.now()
    user.save(update_fields=["processing_restricted_at"])

    assert marketing.marketing_send(user=user, subject="News", body="Hello") is False
    assert mailoutbox == []


def test_it_refuses_to_send_under_consent_from_an_older_configuration(user, settings, mailoutbox):
    grant_marketing(user)
    settings.CONSENT_CONFIG_VERSION = "2"

    assert marketing.marketing_send(user=user, subject="News", body="Hello") is False


def test_it_sends_with_rfc_8058_one_click_unsubscribe_headers(user, mailoutbox, settings):
    grant_marketing(user)

    assert marketing.marketing_send(user=user, subject="News", body="Hello") is True

    (message,) = mailoutbox
    assert message.to == [user.email]
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert url.startswith(f"{settings.SITE_URL}/privacy/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in message.body


def test_it_unsubscribes_with_a_one_click_post_without_signing_in(client, user, mailoutbox):
    grant_marketing(user)
    marketing.marketing_send(user=user, subject="News", body="Hello")
    path = unsubscribe_path(mailoutbox[0].extra_headers["List-Unsubscribe"].strip("<>"))

    response = client.post(path, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == HTTPStatus.OK
    assert "You are unsubscribed" in response.content.decode()
    latest = ConsentRecord.objects.filter(user=user).latest("id")
    assert (latest.method, latest.marketing) == (Method.UNSUBSCRIBE, False)
    assert not services.marketing_allowed(user=user)


def test_it_asks_for_confirmation_on_get_and_changes_nothing(client, user):
    grant_marketing(user)
    token = marketing.unsubscribe_token_make(user_id=user.pk)

    response = client.get(f"/privacy/unsubscribe/{token}/")

    assert response.status_code == HTTPStatus.OK
    assert "Unsubscribe" in response.content.decode()
    assert services.marketing_allowed(user=user)


def test_it_shows_a_clear_page_for_a_replayed_link(client, user):
    grant_marketing(user)
    path = f"/privacy/unsubscribe/{marketing.unsubscribe_token_make(user_id=user.pk)}/"
    client.post(path)

    again = client.post(path)
    on_get = client.get(path)

    assert again.status_code == HTTPStatus.GONE
    assert "already used" in again.content.decode()
    assert on_get.status_code == HTTPStatus.GONE
    assert ConsentRecord.objects.filter(method=Method.UNSUBSCRIBE).count() == 1


def test_it_shows_a_clear_page_for_an_expired_link(client, user, settings):
    grant_marketing(user)
    token = marketing.unsubscribe_token_make(user_id=user.pk)
    later = timezone.now().timestamp() + (settings.CONSENT_UNSUBSCRIBE_MAX_AGE_DAYS + 1) * 86400

    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.post(f"/privacy/unsubscribe/{token}/")

    assert response.status_code == HTTPStatus.GONE
    assert "expired" in response.content.decode()
    assert services.marketing_allowed(user=user)


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        signing.dumps({"u": 1, "n": "abc"}, salt="another.salt"),
        signing.dumps({"u": "1", "n": "abc"}, salt=marketing.UNSUBSCRIBE_SALT),
        signing.dumps({"u": 1}, salt=marketing.UNSUBSCRIBE_SALT),
        signing.dumps({"u": 999999, "n": "abc"}, salt=marketing.UNSUBSCRIBE_SALT),
    ],
    ids=["garbage", "other-salt", "user-as-text", "no-nonce", "unknown-user"],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_rejects_a_tampered_or_unknown_link_with_a_clear_page(client, user, token, method):
    grant_marketing(user)

    response = getattr(client, method)(f"/privacy/unsubscribe/{token}/")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "does not work" in response.content.decode()
    assert services.marketing_allowed(user=user)


def test_it_does_not_let_one_users_link_unsubscribe_another(client, user, other_user):
    grant_marketing(user)
    grant_marketing(other_user)
    token = marketing.unsubscribe_token_make(user_id=user.pk)
    payload, timestamp, signature = token.split(":")
    nonce = signing.loads(token, salt=marketing.UNSUBSCRIBE_SALT)["n"]
    swapped = signing.b64_encode(
        json.dumps({"u": other_user.pk, "n": nonce}, separators=(",", ":")).encode()
    ).decode()
    forged = f"{swapped}:{timestamp}:{signature}"

    response = client.post(f"/privacy/unsubscribe/{forged}/")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert services.marketing_allowed(user=other_user)
    assert services.marketing_allowed(user=user)


def test_it_sends_a_campaign_in_batches_only_to_consenting_users(
    db, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.CONSENT_CAMPAIGN_BATCH_SIZE = 2
    consenting = [make_user(f"yes{i}@example.com") for i in range(3)]
    for person in consenting:
        grant_marketing(person)
    refused = make_user("no@example.com")
    services.consent_record(method="signup", choices={"marketing": False}, user=refused)
    restricted = make_user("restricted@example.com", processing_restricted_at=timezone.now())
    grant_marketing(restricted)
    campaign = MarketingCampaign.objects.create(subject="New: reminders", body="Hello")
    batches = mock.patch(
        "consent.marketing.campaign_send_batch", wraps=marketing.campaign_send_batch
    )

    with batches as batch, django_capture_on_commit_callbacks(execute=True):
        marketing.campaign_start(campaign_id=campaign.pk)

    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.email for p in consenting)
    assert batch.call_count == 2  # two batches of at most two
    campaign.refresh_from_db()
    assert campaign.sent_count == 3
    assert campaign.finished_at is not None
    assert CampaignDelivery.objects.filter(campaign=campaign).count() == 3


def test_it_does_not_send_a_campaign_twice_to_the_same_user(user, mailoutbox):
    grant_marketing(user)
    campaign = MarketingCampaign.objects.create(subject="News", body="Hello")
    marketing.campaign_send_batch(campaign_id=campaign.pk)
    MarketingCampaign.objects.filter(pk=campaign.pk).update(finished_at=None)

    marketing.campaign_send_batch(campaign_id=campaign.pk)

    assert len(mailoutbox) == 1


def test_the_command_shows_recipients_without_sending_unless_told(user, mailoutbox, capsys):
    grant_marketing(user)
    campaign = MarketingCampaign.objects.create(subject="News", body="Hello")

    call_command("send_campaign", str(campaign.pk))

    assert "Would send" in capsys.readouterr().out
    assert mailoutbox == []
    campaign.refresh_from_db()
    assert campaign.queued_at is None


def test_the_command_queues_the_campaign_with_execute(
    user, mailoutbox, capsys, django_capture_on_commit_callbacks
):
    grant_marketing(user)
    campaign = MarketingCampaign.objects.create(subject="News", body="Hello")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_campaign", str(campaign.pk), "--execute")

    assert "Queued" in capsys.readouterr().out
    assert [m.to for m in mailoutbox] == [[user.email]]
