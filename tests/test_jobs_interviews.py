"""Interviews on a job: added, changed and deleted from the job page (plain forms), shown in
the person's time zone, on the board and in the week ahead, and reminded once, discreetly when
asked."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from jobs import interviews
from jobs.interview_reminders import interview_reminders_send_batch
from jobs.models import Interview, TrackerSettings
from tests.jobs_fixtures import add_job

pytestmark = pytest.mark.django_db


def _add(client, job, **data):
    form = {"kind": "video", "starts_at": "2030-03-10T14:00", "where": "https://meet.example/x"}
    form.update(data)
    return client.post(reverse("jobs:interview_new", args=[job.pk]), form)


def test_an_interview_typed_in_the_persons_time_zone_is_stored_in_utc(client_logged_in, user):
    TrackerSettings.objects.create(user=user, time_zone="Europe/Berlin")
    job = add_job(user, "Data engineer", company="Globex")

    response = _add(client_logged_in, job, ends_at="2030-03-10T15:00", with_whom="Ada")

    assert response.status_code == 302
    interview = Interview.objects.get()
    assert interview.starts_at == datetime(2030, 3, 10, 13, 0, tzinfo=UTC)
    assert interview.ends_at == datetime(2030, 3, 10, 14, 0, tzinfo=UTC)
    page = client_logged_in.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "14:00" in page and "Europe/Berlin" in page and "With Ada" in page


def test_the_end_before_the_start_and_a_bad_date_are_form_errors(client_logged_in, user):
    job = add_job(user)

    backwards = _add(client_logged_in, job, ends_at="2030-03-10T13:00")
    garbage = _add(client_logged_in, job, starts_at="next tuesday")

    assert backwards.status_code == 400 and "The end must be after the start" in (
        backwards.content.decode()
    )
    assert garbage.status_code == 400 and "Enter a date and time" in garbage.content.decode()
    assert not Interview.objects.exists()


def test_editing_raises_the_sequence_and_deleting_leaves_an_empty_tombstone(client_logged_in, user):
    job = add_job(user)
    _add(client_logged_in, job, with_whom="Ada", notes="Bring the portfolio")
    interview = Interview.objects.get()

    client_logged_in.post(
        reverse("jobs:interview_edit", args=[interview.pk]),
        {"kind": "onsite", "starts_at": "2030-03-11T09:30", "where": "Main St 1"},
    )
    interview.refresh_from_db()
    assert (interview.kind, interview.sequence) == ("onsite", 1)

    client_logged_in.post(reverse("jobs:interview_delete", args=[interview.pk]))
    interview.refresh_from_db()
    assert interview.cancelled_at is not None and interview.sequence == 2
    assert (interview.where, interview.with_whom, interview.notes) == ("", "", "")
    page = client_logged_in.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "No interviews yet" in page


def test_another_persons_interview_is_a_404(client, user, other_user):
    job = add_job(user)
    interview = interviews.interview_create(
        job=job, data={"kind": "phone", "starts_at": timezone.now() + timedelta(days=1)}
    )
    client.force_login(other_user)

    for name in ("jobs:interview_edit", "jobs:interview_delete"):
        assert client.get(reverse(name, args=[interview.pk])).status_code == 404
    assert client.get(reverse("jobs:interview_new", args=[job.pk])).status_code == 404


def test_the_board_and_the_week_show_the_coming_interviews(client_logged_in, user):
    job = add_job(user, "Platform engineer", company="Initech")
    interviews.interview_create(
        job=job, data={"kind": "phone", "starts_at": timezone.now() + timedelta(days=2)}
    )

    board = client_logged_in.get(reverse("jobs:board")).content.decode()
    week = client_logged_in.get(reverse("jobs:week")).content.decode()

    assert 'data-testid="upcoming-interviews"' in board and "Phone screen" in board
    card = board.split(f'id="job-{job.pk}"')[1].split("</li>")[0]
    assert 'class="badge badge-interview">Interview ' in card
    assert 'data-testid="week-interview"' in week and "Platform engineer at Initech" in week


def test_the_time_zone_is_chosen_from_the_list(client_logged_in, user):
    client_logged_in.post(
        reverse("jobs:schedule_settings"), {"time_zone": "America/New_York", "discreet": "on"}
    )
    bad = client_logged_in.post(reverse("jobs:schedule_settings"), {"time_zone": "Mars/Olympus"})

    assert bad.status_code == 302
    row = TrackerSettings.objects.get(user=user)
    assert (row.time_zone, row.discreet) == ("America/New_York", True)


def _interview_soon(user, company="Globex", title="Data engineer"):
    job = add_job(user, title, company=company)
    return interviews.interview_create(
        job=job,
        data={"kind": "video", "starts_at": timezone.now() + timedelta(hours=3), "where": "Room 4"},
    )


def test_a_reminder_goes_out_once_per_interview(user):
    _interview_soon(user)
    add_job(user, "Later")  # no interview: no email
    later = _interview_soon(user, "Far", "Far away")
    Interview.objects.filter(pk=later.pk).update(starts_at=timezone.now() + timedelta(days=9))

    assert interview_reminders_send_batch() == (1, False)
    assert interview_reminders_send_batch() == (0, False)

    assert len(mail.outbox) == 1
    assert "Data engineer at Globex" in mail.outbox[0].subject
    assert "Room 4" in mail.outbox[0].body


def test_in_discreet_mode_the_reminder_names_no_employer_and_no_title(user):
    TrackerSettings.objects.create(user=user, discreet=True)
    _interview_soon(user)

    interview_reminders_send_batch()

    message = mail.outbox[0]
    text = message.subject + message.body + message.alternatives[0][0]
    assert message.subject.startswith("[JobTrax] Interview, ")
    assert "Globex" not in text and "Data engineer" not in text and "Room 4" not in text


def test_deleted_interviews_and_people_who_turned_reminders_off_get_no_email(user, other_user):
    interview = _interview_soon(user)
    interviews.interview_delete(interview=interview)
    _interview_soon(other_user)
    TrackerSettings.objects.create(user=other_user, reminders_enabled=False)

    assert interview_reminders_send_batch() == (0, False)
    assert mail.outbox == []
