"""Follow-up reminders: one service email per person on a follow-up day, never twice, off on
request, resumable after a failure."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs import reminders, services
from jobs.models import Job, TrackerSettings
from jobs.tasks import followup_reminders_send
from tests.conftest import make_user
from tests.jobs_fixtures import add_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


def test_one_email_lists_every_follow_up_due_today(user, other_user, today, mailoutbox):
    add_job(user, "Role A", company="Acme", follow_up_on=today)
    add_job(user, "Role B", follow_up_on=today)
    add_job(user, "Role later", follow_up_on=today + timedelta(days=1))
    add_job(other_user, "Bob's role", follow_up_on=today)

    sent = followup_reminders_send.delay().get()

    assert sent == 2
    [alice] = [m for m in mailoutbox if m.to == [user.email]]
    assert alice.subject == "[JobTrax] Follow up today: 2 jobs"
    assert "Role A at Acme" in alice.body and "Role B" in alice.body
    assert "Role later" not in alice.body and "Bob's role" not in alice.body
    assert "service email" in alice.body and reverse("accounts:profile") in alice.body
    assert "unsubscribe" not in alice.body.lower()


def test_it_never_sends_twice_the_same_day_or_for_the_same_follow_up(user, today, mailoutbox):
    job = add_job(user, follow_up_on=today)

    reminders.followup_reminders_send_batch(today=today)
    add_job(user, "Added after the email", follow_up_on=today)
    reminders.followup_reminders_send_batch(today=today)
    assert len(mailoutbox) == 1

    reminders.followup_reminders_send_batch(today=today + timedelta(days=1))
    [_, next_day] = mailoutbox
    assert "Added after the email" in next_day.body
    assert job.title not in next_day.body  # the first follow-up was reminded already


def test_a_missed_day_is_caught_up_once(user, today, mailoutbox):
    add_job(user, "Yesterday's", follow_up_on=today - timedelta(days=1))

    reminders.followup_reminders_send_batch(today=today)
    reminders.followup_reminders_send_batch(today=today + timedelta(days=1))

    assert len(mailoutbox) == 1
    assert "Yesterday's" in mailoutbox[0].body


def test_a_moved_follow_up_is_reminded_again_on_its_new_day(user, today, mailoutbox):
    job = add_job(user, follow_up_on=today)
    reminders.followup_reminders_send_batch(today=today)

    services.job_set_follow_up(job=job, follow_up_on=today + timedelta(days=3))
    reminders.followup_reminders_send_batch(today=today + timedelta(days=3))

    assert len(mailoutbox) == 2


def test_no_email_when_turned_off_on_the_profile(client_logged_in, user, today, mailoutbox):
    add_job(user, follow_up_on=today)
    page = client_logged_in.get(reverse("accounts:profile")).content.decode()
    assert (
        "Follow-up reminders" in page and 'name="reminders_enabled"' in page and "checked" in page
    )

    response = client_logged_in.post(reverse("jobs:reminder_settings"), {})

    assert response.status_code == HTTPStatus.FOUND
    assert reminders.followup_reminders_send_batch(today=today) == (0, False)
    assert mailoutbox == []
    page = client_logged_in.get(reverse("accounts:profile")).content.decode()
    assert "checked" not in page[page.index("reminders-heading") :]


@pytest.mark.parametrize(
    "change",
    ["archived", "unverified", "deactivated"],
)
def test_no_email_for_archived_jobs_or_unverified_or_closed_accounts(today, mailoutbox, change):
    person = make_user("dana@example.com", verified=change != "unverified")
    job = add_job(person, follow_up_on=today)
    if change == "archived":
        services.job_archive(job=job)
    if change == "deactivated":
        person.is_active = False
        person.save(update_fields=["is_active"])

    reminders.followup_reminders_send_batch(today=today)

    assert mailoutbox == []


def test_batches_continue_until_everyone_is_done(today, mailoutbox, settings):
    settings.JOBS_REMINDER_BATCH_SIZE = 2
    for i in range(5):
        add_job(make_user(f"p{i}@example.com"), follow_up_on=today)

    followup_reminders_send.delay()

    assert sorted(m.to[0] for m in mailoutbox) == [f"p{i}@example.com" for i in range(5)]


def test_a_failed_send_is_not_retried_and_the_rest_resume_later(today, mailoutbox, monkeypatch):
    first, second = make_user("e1@example.com"), make_user("e2@example.com")
    add_job(first, follow_up_on=today)
    add_job(second, follow_up_on=today)
    from django.core.mail import EmailMessage

    real_send = EmailMessage.send

    def flaky(message, *args, **kwargs):
        if message.to == [first.email]:
            raise ConnectionError("SMTP down")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", flaky)
    with pytest.raises(ConnectionError):
        reminders.followup_reminders_send_batch(today=today)
    assert TrackerSettings.objects.get(user=first).last_reminder_status == "failed"
    assert mailoutbox == []

    monkeypatch.setattr(EmailMessage, "send", real_send)
    reminders.followup_reminders_send_batch(today=today)

    assert [m.to for m in mailoutbox] == [[second.email]]
    assert Job.objects.filter(user=first, follow_up_reminded_on__isnull=True).count() == 1


def test_the_beat_runs_the_reminders_daily():
    from celery.schedules import crontab

    from jobtrax.celery import app

    entry = app.conf.beat_schedule["jobs-followup-reminders"]
    assert entry["task"] == "jobs.tasks.followup_reminders_send"
    assert entry["schedule"] == crontab(minute=0, hour=7)
