"""One mail helper (jobtrax.mail.mail_send) for every message JobTrax sends: one subject prefix,
a plain and an HTML part, links on SITE_URL, the suppression rules in one place, and the
record written before the message leaves."""

import re
import socket
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from consent import marketing
from consent import services as consent_services
from consent.models import CampaignDelivery, MarketingCampaign
from jobs.models import TrackerSettings
from jobs.reminders import followup_reminders_send_batch
from jobtrax.mail import Category, mail_allowed, mail_send
from logs_retention.services import inactivity_warning_send
from privacy import services as privacy_services
from privacy.models import NoticeDelivery, NoticeVersion
from rights import services as rights_services
from support.models import SupportMessage
from support.services import support_message_reply
from tests.conftest import make_user
from tests.jobs_fixtures import add_job
from tests.notice_versions import current

pytestmark = pytest.mark.django_db

SITE = "https://jobtrax.test"
LINK = re.compile(r"https?://[^\s<>\"')]+")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def grant_marketing(user):
    consent_services.consent_record(method="settings", choices={"marketing": True}, user=user)


def restrict(user):
    user.processing_restricted_at = timezone.now()
    user.save(update_fields=["processing_restricted_at"])


def publish_material(django_capture_on_commit_callbacks):
    body = current().body + "\n\nChange 2.0."
    version = privacy_services.notice_draft_save(
        version=NoticeVersion(
            number="2.0", body=body, change_summary="We keep logs longer.", material=True
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        return privacy_services.notice_publish(version=version)


def send_one_of_each(client, user, staff_user, django_capture_on_commit_callbacks) -> list[str]:
    """Make every path that mails send one message; returns the path names in order."""
    paths = []

    client.post(reverse("account_reset_password"), {"email": user.email})
    paths.append("account")

    rights_services.deletion_start(user=user)
    paths.append("rights")
    user.refresh_from_db()
    user.is_active = True  # the other paths need an active account
    user.save(update_fields=["is_active"])

    message = SupportMessage.objects.create(
        topic="support", email="visitor@example.org", message="Hi"
    )
    support_message_reply(support_message=message, actor=staff_user, subject="Re: hi", body="Yes.")
    paths.append("support")

    add_job(user, "Role A", follow_up_on=timezone.localdate())
    followup_reminders_send_batch()
    paths.append("reminder")

    grant_marketing(user)
    marketing.marketing_send(user=user, subject="News", body="Hello")
    paths.append("marketing")

    inactivity_warning_send(user_id=user.pk)
    paths.append("retention")

    publish_material(django_capture_on_commit_callbacks)
    paths.append("notice")
    return paths


def test_every_message_has_the_prefix_both_parts_and_links_on_the_site(
    client, user, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    paths = send_one_of_each(client, user, staff_user, django_capture_on_commit_callbacks)

    assert len(mailoutbox) >= len(paths)
    for message in mailoutbox:
        assert message.subject.startswith("[JobTrax] "), message.subject
        assert not message.subject.startswith("[JobTrax] [JobTrax]"), message.subject
        [(html, kind)] = message.alternatives
        assert kind == "text/html" and "<html" in html and message.body.strip()
        links = LINK.findall(message.body)
        assert all(link.startswith(SITE + "/") or link == SITE for link in links), (
            message.subject,
            links,
        )
    subjects = " | ".join(message.subject for message in mailoutbox)
    for fragment in ("Follow up today", "News", "Re: hi", "will be deleted", "privacy notice"):
        assert fragment in subjects


def test_the_html_part_escapes_what_the_plain_text_says(user, mailoutbox):
    grant_marketing(user)

    marketing.marketing_send(user=user, subject="News", body="<script>x()</script> & more")

    [message] = mailoutbox
    html = message.alternatives[0][0]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert f'href="{SITE}/' in html  # the unsubscribe link is a link in the HTML part too
    assert "<script>x()</script>" in message.body  # the plain part is plain text


class RefusingSMTPServer:
    """A real SMTP server on loopback that greets, then refuses every message (554)."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.refused = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn, conn.makefile("rb") as lines:
                conn.sendall(b"220 loopback ESMTP\r\n")
                for line in lines:
                    verb = line[:4].upper()
                    if verb == b"MAIL":
                        self.refused += 1
                        conn.sendall(b"554 5.7.1 Refused\r\n")
                    elif verb == b"QUIT":
                        conn.sendall(b"221 Bye\r\n")
                        break
                    else:
                        conn.sendall(b"250 OK\r\n")

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.sock.close()


@pytest.fixture
def refusing_smtp(settings):
    with RefusingSMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 5
        yield server


def test_a_campaign_delivery_is_recorded_before_the_send_so_a_failure_never_repeats_it(
    user, refusing_smtp
):
    grant_marketing(user)
    campaign = MarketingCampaign.objects.create(subject="News", body="Hello")

    with pytest.raises(Exception):  # noqa: B017 - whatever the SMTP library raises
        marketing.campaign_send_batch(campaign_id=campaign.pk)

    assert refusing_smtp.refused == 1
    assert CampaignDelivery.objects.filter(campaign=campaign, user=user).exists()
    assert list(marketing.campaign_recipients(campaign=campaign)) == []


def test_a_reminder_is_claimed_before_the_send_and_marked_failed_when_smtp_refuses(
    user, refusing_smtp
):
    job = add_job(user, "Role A", follow_up_on=timezone.localdate())

    with pytest.raises(Exception):  # noqa: B017
        followup_reminders_send_batch()

    row = TrackerSettings.objects.get(user=user)
    assert (row.last_reminder_on, row.last_reminder_status) == (timezone.localdate(), "failed")
    job.refresh_from_db()
    assert job.follow_up_reminded_on is None
    assert followup_reminders_send_batch() == (0, False)  # never tried twice the same day


def test_a_notice_email_is_claimed_before_the_send_and_marked_failed_when_smtp_refuses(
    user, refusing_smtp, django_capture_on_commit_callbacks
):
    with pytest.raises(Exception):  # noqa: B017
        publish_material(django_capture_on_commit_callbacks)

    assert list(NoticeDelivery.objects.values_list("user_id", "status")) == [(user.pk, "failed")]


def test_the_record_runs_before_the_send_and_a_false_record_sends_nothing(user, mailoutbox):
    seen = []

    def record():
        seen.append(len(mail.outbox))
        return False

    sent = mail_send(
        to=user.email,
        template="support/email/reply",
        context={"subject": "S", "body": "B"},
        category=Category.SUPPORT,
        record=record,
    )

    assert (sent, seen, mailoutbox) == (False, [0], [])


def test_a_restricted_account_gets_no_marketing_even_in_a_campaign(user, other_user, mailoutbox):
    grant_marketing(user)
    grant_marketing(other_user)
    restrict(user)
    campaign = MarketingCampaign.objects.create(subject="News", body="Hello")

    marketing.campaign_send_batch(campaign_id=campaign.pk)

    assert [message.to for message in mailoutbox] == [[other_user.email]]
    assert marketing.marketing_send(user=user, subject="News", body="Hello") is False


def test_an_objection_stops_marketing_but_no_necessary_mail(user):
    grant_marketing(user)
    user.processing_objected_at = timezone.now()

    assert not mail_allowed(category=Category.MARKETING, user=user)
    for category in (Category.ACCOUNT, Category.RIGHTS, Category.SUPPORT, Category.RETENTION):
        assert mail_allowed(category=category, user=user)


def test_a_restriction_removes_no_service_mail(user, mailoutbox):
    """Restriction gates only optional processing (docs/PROMISES.md, section 10): reminders,
    which the person turns off on their profile, and the notice still reach them."""
    restrict(user)
    add_job(user, "Role A", follow_up_on=timezone.localdate())

    assert followup_reminders_send_batch() == (1, False)
    assert mail_allowed(category=Category.NOTICE, user=user)


def test_reminders_stay_off_for_someone_who_turned_them_off(user, mailoutbox):
    TrackerSettings.objects.create(user=user, reminders_enabled=False)
    add_job(user, "Role A", follow_up_on=timezone.localdate())

    assert followup_reminders_send_batch() == (0, False)
    assert mailoutbox == []


def test_an_inactive_account_gets_no_reminder_notice_or_marketing(user):
    user.is_active = False

    for category in (Category.REMINDER, Category.NOTICE, Category.MARKETING):
        assert not mail_allowed(category=category, user=user)


def test_an_unverified_person_is_not_emailed_a_reminder(db, mailoutbox):
    person = make_user("unverified@example.com", verified=False)
    add_job(person, "Role A", follow_up_on=timezone.localdate() - timedelta(days=1))

    assert followup_reminders_send_batch() == (0, False)


def test_a_support_reply_the_mail_server_refused_is_not_counted_as_sent(staff_user, refusing_smtp):
    message = SupportMessage.objects.create(topic="support", email="v@example.org", message="Hi")

    with pytest.raises(Exception):  # noqa: B017
        support_message_reply(support_message=message, actor=staff_user, subject="Re", body="Yes")

    message.refresh_from_db()
    assert (message.replies_sent, message.status, refusing_smtp.refused) == (0, "open", 1)
