"""Telling users about changes: a banner and one email for a material change, nothing for a
minor one, and a record of the version each new user was shown at signup."""

from http import HTTPStatus

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from privacy import services, tasks
from privacy.models import NoticeAcknowledgement, NoticeDelivery, NoticeSignup, NoticeVersion
from tests.conftest import make_user
from tests.notice_versions import current, later

BANNER = "We have updated our privacy notice"


@pytest.fixture
def publish(db, django_capture_on_commit_callbacks):
    def publish(number: str, *, material: bool, summary: str = "We now keep logs for longer."):
        body = current().body + f"\n\nChange {number}."
        version = services.notice_draft_save(
            version=NoticeVersion(
                number=number, body=body, change_summary=summary, material=material
            )
        )
        with django_capture_on_commit_callbacks(execute=True):
            return services.notice_publish(version=version)

    return publish


def test_it_shows_signed_in_users_a_banner_for_a_material_change(client_logged_in, publish):
    base = current().number
    publish("2.0", material=True, summary="We now keep logs for longer.")

    html = client_logged_in.get("/").content.decode()

    assert BANNER in html
    assert "We now keep logs for longer." in html
    assert f'href="/privacy/compare/{base}/2.0/"' in html
    assert 'name="version" value="2.0"' in html


def test_it_shows_no_banner_for_a_minor_change(client_logged_in, publish):
    publish(later(), material=False)

    assert BANNER not in client_logged_in.get("/").content.decode()
    assert len(mail.outbox) == 0


def test_it_shows_no_banner_to_visitors(client, db, publish):
    publish("2.0", material=True)

    assert BANNER not in client.get("/").content.decode()


def test_it_shows_no_banner_to_users_who_signed_up_under_the_new_version(client, publish):
    publish("2.0", material=True)
    newcomer = make_user("carol@example.com")
    client.force_login(newcomer)

    assert BANNER not in client.get("/").content.decode()


def test_it_keeps_the_banner_after_a_later_minor_change(client_logged_in, publish):
    base = current().number
    publish("2.0", material=True)
    publish("2.1", material=False)

    html = client_logged_in.get("/").content.decode()

    assert BANNER in html
    assert f'href="/privacy/compare/{base}/2.0/"' in html


def test_it_records_the_acknowledgement_and_hides_the_banner(client_logged_in, user, publish):
    version = publish("2.0", material=True)

    response = client_logged_in.post(
        "/privacy/acknowledge/", {"version": "2.0", "next": "/privacy/processors/"}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/privacy/processors/"
    ack = NoticeAcknowledgement.objects.get(user=user)
    assert ack.version == version
    assert abs(ack.acknowledged_at - timezone.now()).total_seconds() < 60
    assert BANNER not in client_logged_in.get("/").content.decode()


def test_it_hides_the_banner_on_every_device_once_acknowledged(client, user, publish):
    publish("2.0", material=True)
    NoticeAcknowledgement.objects.create(user=user, version=NoticeVersion.objects.get(number="2.0"))
    client.force_login(user)

    assert BANNER not in client.get("/").content.decode()


def test_it_acknowledges_only_for_the_signed_in_user(client_logged_in, user, other_user, publish):
    publish("2.0", material=True)

    client_logged_in.post("/privacy/acknowledge/", {"version": "2.0"})
    client_logged_in.post("/privacy/acknowledge/", {"version": "2.0"})

    assert NoticeAcknowledgement.objects.filter(user=user).count() == 1
    assert not NoticeAcknowledgement.objects.filter(user=other_user).exists()


def test_it_asks_visitors_to_sign_in_before_acknowledging(client, db, publish):
    publish("2.0", material=True)

    response = client.post("/privacy/acknowledge/", {"version": "2.0"})

    assert response.status_code == HTTPStatus.FOUND
    assert "/accounts/login/" in response["Location"]
    assert not NoticeAcknowledgement.objects.exists()


@pytest.mark.parametrize("version", ["", "9.9", "abc", "1.0\x00", "2.0; DROP"])
def test_it_answers_a_bad_acknowledgement_with_404(client_logged_in, publish, version):
    publish("2.0", material=True)

    response = client_logged_in.post("/privacy/acknowledge/", {"version": version})

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not NoticeAcknowledgement.objects.exists()


def test_it_does_not_redirect_off_site_after_acknowledging(client_logged_in, publish):
    publish("2.0", material=True)

    response = client_logged_in.post(
        "/privacy/acknowledge/", {"version": "2.0", "next": "https://evil.example/"}
    )

    assert response["Location"] == "/privacy/"


def test_it_refuses_to_acknowledge_with_get(client_logged_in, publish):
    publish("2.0", material=True)

    response = client_logged_in.get("/privacy/acknowledge/?version=2.0")

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


def banner_queries(client, url: str) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    # Read them now: the next request resets Django's query log.
    return html, [q["sql"] for q in queries.captured_queries if "privacy_notice" in q["sql"]]


def test_it_checks_the_banner_with_at_most_one_query_per_page_view(client_logged_in, publish):
    publish("2.0", material=True)
    services.notice_latest_material()  # filled once per process for all users, not per view

    first_html, first = banner_queries(client_logged_in, "/")
    second_html, second = banner_queries(client_logged_in, "/privacy/processors/")
    client_logged_in.post("/privacy/acknowledge/", {"version": "2.0"})
    after_html, after = banner_queries(client_logged_in, "/")

    assert BANNER in first_html
    assert len(first) == 1
    assert "privacy_noticeacknowledgement" in first[0]
    assert BANNER in second_html
    assert second == []
    assert BANNER not in after_html
    assert after == []


def test_it_emails_every_verified_user_once_about_a_material_change(
    user, other_user, publish, settings
):
    settings.PRIVACY_NOTICE_EMAIL_BATCH_SIZE = 1
    make_user("unverified@example.com", verified=False)
    make_user("inactive@example.com", is_active=False)

    base = current().number
    version = publish("2.0", material=True, summary="We now keep logs for longer.")

    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == ["alice@example.com", "bob@example.com"]
    assert "We now keep logs for longer." in mail.outbox[0].body
    assert f"/privacy/compare/{base}/2.0/" in mail.outbox[0].body
    assert NoticeDelivery.objects.filter(version=version, status="sent").count() == 2

    tasks.notice_email_batch.delay(version.pk)
    tasks.notice_email_resume.delay()
    assert len(mail.outbox) == 2


def test_it_emails_nobody_about_a_minor_change(user, other_user, publish):
    version = publish(later(), material=False)

    tasks.notice_email_batch.delay(version.pk)

    assert len(mail.outbox) == 0
    assert not NoticeDelivery.objects.exists()


def test_it_emails_no_one_who_signed_up_after_the_change(user, publish):
    version = publish("2.0", material=True)
    make_user("carol@example.com")

    tasks.notice_email_batch.delay(version.pk)

    assert [message.to[0] for message in mail.outbox] == ["alice@example.com"]


class FlakySMTP(EmailBackend):
    """Stands in for a mail server that drops the connection after two messages."""

    budget = 2

    def send_messages(self, messages):
        if FlakySMTP.budget <= 0:
            raise ConnectionResetError("connection lost")
        FlakySMTP.budget -= 1
        return super().send_messages(messages)


def test_it_resumes_an_interrupted_mailing_without_emailing_anyone_twice(db, settings):
    users = [make_user(f"user{index}@example.com") for index in range(5)]
    settings.EMAIL_BACKEND = f"{__name__}.FlakySMTP"
    FlakySMTP.budget = 2
    version = services.notice_draft_save(
        version=NoticeVersion(
            number="2.0", body="Changed.", change_summary="Changed.", material=True
        )
    )
    services.notice_publish(version=version)  # on_commit never fires: the test drives the task

    with pytest.raises(ConnectionResetError):
        tasks.notice_email_batch.delay(version.pk)
    assert len(mail.outbox) == 2
    assert services.notice_email_stalled_version() is None  # progress was just made

    FlakySMTP.budget = 100
    settings.PRIVACY_NOTICE_EMAIL_STALL_MINUTES = 0
    tasks.notice_email_resume.delay()

    sent_to = [message.to[0] for message in mail.outbox]
    assert len(sent_to) == len(set(sent_to)) == 4
    failed = NoticeDelivery.objects.get(status="failed")
    assert failed.user.email not in sent_to
    assert {u.email for u in users} == set(sent_to) | {failed.user.email}


def test_it_skips_users_another_run_already_claimed(user, other_user, db):
    version = services.notice_draft_save(
        version=NoticeVersion(
            number="2.0", body="Changed.", change_summary="Changed.", material=True
        )
    )
    services.notice_publish(version=version)
    NoticeDelivery.objects.create(version=version, user=user)  # claimed by a concurrent run

    sent, more = services.notice_email_send_batch(version_id=version.pk)

    assert (sent, more) == (1, False)
    assert [message.to[0] for message in mail.outbox] == ["bob@example.com"]


def test_it_records_the_version_a_new_user_was_shown_at_signup(client, db, publish):
    version = publish(later(), material=False)

    client.post(
        "/accounts/signup/",
        {
            "email": "new@example.com",
            "password1": "a-Long-and-unusual-passphrase-42",
            "password2": "a-Long-and-unusual-passphrase-42",
            "is_adult": "on",
        },
    )

    user = User.objects.get(email="new@example.com")
    assert NoticeSignup.objects.get(user=user).version == version


def test_a_board_kept_before_a_material_change_shows_its_banner(client, user, publish, settings):
    """Signed-in pages are kept whole (jobtrax.pagecache): the banner is part of their key."""
    settings.PAGE_CACHE = True
    user.date_joined = timezone.now()  # after every shipped version, before the next
    user.save()
    client.force_login(user)
    assert BANNER not in client.get(reverse("jobs:board")).content.decode()
    assert BANNER not in client.get(reverse("jobs:board")).content.decode()  # kept
    publish("2.0", material=True)
    assert BANNER in client.get(reverse("jobs:board")).content.decode()
