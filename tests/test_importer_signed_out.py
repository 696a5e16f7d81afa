"""Nothing is lost by signing in: a bookmarklet capture sent while signed out is held for an
hour, under the `pending_captures` retention policy, and lands in the preview after the person
signs in or signs up."""

import base64
import json
import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from importer.models import ImportPreview, PendingCapture
from jobtrax import datamap
from logs_retention.services import retention_run
from tests.conftest import PASSWORD
from tests.importer_fixtures import CAREERS_JSONLD

START = reverse("importer:start")
HOLD = reverse("importer:hold")
RESUME = reverse("importer:resume")
PASSPHRASE = "a-Long-and-unusual-passphrase-42"


def payload() -> str:
    data = {
        "v": 1,
        "url": "https://careers.example/jobs/data-analyst",
        "title": "Data Analyst at Globex",
        "jsonld": [json.dumps(CAREERS_JSONLD)],
    }
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def hold(client: Client):
    return client.post(HOLD, {"kind": "bookmarklet", "payload": payload()})


def lands_in_the_preview(client: Client, response, owner) -> None:
    while response.status_code == HTTPStatus.FOUND and "/jobs/import/" not in response["Location"]:
        response = client.get(response["Location"])
    assert response["Location"] == RESUME
    landed = client.get(RESUME)
    preview = ImportPreview.objects.get(owner=owner)
    assert landed.status_code == HTTPStatus.FOUND
    assert landed["Location"] == reverse("importer:preview", args=[preview.pk])
    page = client.get(landed["Location"])
    assert page.context["form"].initial["title"] == "Data Analyst"
    assert not PendingCapture.objects.exists()


def test_a_signed_out_visitor_is_asked_to_sign_in_and_the_page_keeps_the_capture(client, db):
    response = client.get(START)
    html = response.content.decode()

    assert response.status_code == HTTPStatus.OK
    assert f'action="{HOLD}"' in html
    assert "importer/import.js" in html
    assert reverse("account_login") in html and reverse("account_signup") in html


def test_a_capture_sent_while_signed_out_is_held_and_the_session_has_only_a_token(client, db):
    response = hold(client)

    [capture] = PendingCapture.objects.all()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_login"))
    assert "Data Analyst" not in json.dumps(dict(client.session.items()))
    assert capture.token in client.session.values()
    assert "data-analyst" in capture.payload or capture.payload == payload()


def test_it_lands_in_the_preview_after_signing_in(client, user):
    response = hold(client)
    login = client.post(response["Location"], {"login": user.email, "password": PASSWORD})

    lands_in_the_preview(client, login, user)


def test_it_lands_in_the_preview_after_signing_up(client, db, mailoutbox):
    from accounts.models import User

    hold(client)
    client.post(
        reverse("account_signup"),
        {"email": "new@example.com", "password1": PASSPHRASE, "password2": PASSPHRASE,
         "is_adult": "on"},
    )  # fmt: skip
    link = re.search(r"/accounts/confirm-email/[^\s/]+/", mailoutbox[0].body).group(0)
    client.get(link)
    client.post(link)
    login = client.post(
        reverse("account_login"), {"login": "new@example.com", "password": PASSPHRASE}
    )

    lands_in_the_preview(client, login, User.objects.get(email="new@example.com"))


def test_a_capture_is_not_held_past_an_hour(client, user):
    response = hold(client)
    PendingCapture.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    client.post(response["Location"], {"login": user.email, "password": PASSWORD})

    landed = client.get(RESUME, follow=True)

    assert not ImportPreview.objects.exists()
    assert b"no longer held" in landed.content


def test_another_browser_cannot_take_the_capture(client, user, other_user):
    hold(client)
    other = Client()
    other.force_login(other_user)

    response = other.get(RESUME)

    assert response.status_code == HTTPStatus.FOUND
    assert not ImportPreview.objects.exists()
    assert PendingCapture.objects.count() == 1


@pytest.mark.parametrize("bad", ["", "not base64!", "A" * 200_050])
def test_a_bad_capture_is_refused_clearly_and_nothing_is_held(client, db, bad):
    response = client.post(HOLD, {"kind": "bookmarklet", "payload": bad})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert b'role="alert"' in response.content
    assert not PendingCapture.objects.exists()


def test_the_retention_policy_deletes_captures_after_an_hour(client, db):
    hold(client)
    hold(Client())
    old, fresh = PendingCapture.objects.order_by("created_at")
    PendingCapture.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(minutes=61)
    )

    run = retention_run(policy_name="pending_captures")

    assert list(PendingCapture.objects.all()) == [fresh]
    assert run.rows_deleted == 1
    assert datamap.policy("pending_captures").schedule.minute == set(range(0, 60, 10))


def test_a_signed_in_person_sending_a_capture_goes_straight_to_the_preview(client_logged_in, user):
    response = client_logged_in.post(HOLD, {"kind": "bookmarklet", "payload": payload()})

    preview = ImportPreview.objects.get(owner=user)
    assert response["Location"] == reverse("importer:preview", args=[preview.pk])
    assert not PendingCapture.objects.exists()
