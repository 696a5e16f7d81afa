"""The private calendar feed: a calendar client's parser reads it; UIDs stay, SEQUENCE rises,
deleted interviews come as cancelled; discreet mode names no employer; revoking, replacing,
restricting or deleting the account stops it at once; fetches are logged without the token."""

from datetime import timedelta

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jobs import calendar_feed, interviews, services
from jobs.models import CalendarFeed, TrackerSettings
from logs_retention.models import RequestLog
from logs_retention.services import request_log_flush
from rights.services.restriction import restriction_apply
from tests.jobs_fixtures import add_job

pytestmark = pytest.mark.django_db


def _job_with_interview(user, company="Globex", title="Data engineer"):
    job = add_job(user, title, company=company, follow_up_on=timezone.localdate())
    interview = interviews.interview_create(
        job=job,
        data={
            "kind": "video",
            "starts_at": timezone.now() + timedelta(days=2),
            "where": "https://meet.example/room",
            "with_whom": "Ada Lovelace",
        },
    )
    return job, interview


def _feed_path(client) -> str:
    client.post(reverse("jobs:feed_create"))
    page = client.get(reverse("jobs:feed_page")).content.decode()
    start = page.index("webcal://")
    url = page[start : page.index('"', start)]
    return url[url.index("/calendar/") :]


def _events(client, path) -> dict:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_the_feed_is_a_calendar_with_the_interview_and_the_follow_up(client_logged_in, user):
    job, interview = _job_with_interview(user)
    path = _feed_path(client_logged_in)

    client_logged_in.logout()  # calendar apps have no session
    events = _events(client_logged_in, path)

    event = next(e for uid, e in events.items() if uid.startswith(f"interview-{interview.pk}@"))
    assert event.decoded("DTSTART") == interview.starts_at.replace(microsecond=0)
    assert "Data engineer at Globex" in str(event["SUMMARY"])
    assert str(event["LOCATION"]) == "https://meet.example/room"
    assert event["STATUS"] == "CONFIRMED" and int(event["SEQUENCE"]) == 0
    assert "DTSTAMP" in event
    assert any(uid.startswith(f"job-{job.pk}-follow-up@") for uid in events)


def test_a_change_keeps_the_uid_and_raises_the_sequence_a_deletion_is_cancelled(
    client_logged_in, user
):
    _job, interview = _job_with_interview(user)
    path = _feed_path(client_logged_in)
    uid = next(u for u in _events(client_logged_in, path) if u.startswith("interview-"))

    interviews.interview_update(
        interview=interview, data={"starts_at": interview.starts_at + timedelta(hours=1)}
    )
    assert int(_events(client_logged_in, path)[uid]["SEQUENCE"]) == 1

    interviews.interview_delete(interview=interview)
    event = _events(client_logged_in, path)[uid]
    assert event["STATUS"] == "CANCELLED" and int(event["SEQUENCE"]) == 2
    assert "Ada" not in event.to_ical().decode()


@pytest.mark.parametrize("how", ["feed", "account"])
def test_in_discreet_mode_the_feed_holds_no_employer_name_or_title(client_logged_in, user, how):
    _job_with_interview(user, company="Globex", title="Data engineer")
    if how == "feed":
        client_logged_in.post(reverse("jobs:feed_create"), {"discreet": "on"})
        feed = CalendarFeed.objects.get(revoked_at__isnull=True)
        path = reverse("jobs:calendar_feed", args=[calendar_feed.feed_token(feed)])
    else:
        TrackerSettings.objects.create(user=user, discreet=True)
        path = _feed_path(client_logged_in)

    body = client_logged_in.get(path).content.decode()

    assert "Globex" not in body and "Data engineer" not in body and "Ada" not in body
    assert "meet.example" not in body
    events = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert {str(e["SUMMARY"]) for e in events} == {"Interview (video call)", "Follow-up"}


def test_revoking_stops_the_address_at_once_and_replacing_makes_a_new_one(client_logged_in, user):
    _job_with_interview(user)
    first = _feed_path(client_logged_in)
    second = _feed_path(client_logged_in)  # "Replace the address"

    assert first != second
    assert client_logged_in.get(first).status_code == 410
    assert client_logged_in.get(second).status_code == 200

    client_logged_in.post(reverse("jobs:feed_revoke"))
    assert client_logged_in.get(second).status_code == 410
    assert client_logged_in.get("/calendar/not-a-real-token.ics").status_code == 404


def test_a_restricted_or_deleted_account_has_no_feed(client_logged_in, user):
    _job_with_interview(user)
    path = _feed_path(client_logged_in)

    restriction_apply(user=user)
    assert client_logged_in.get(path).status_code == 410

    user.delete()
    assert client_logged_in.get(path).status_code == 404


def test_the_database_holds_no_token(client_logged_in, user):
    path = _feed_path(client_logged_in)
    token = path.removeprefix("/calendar/").removesuffix(".ics")

    row = CalendarFeed.objects.values().get()
    assert token not in " ".join(str(v) for v in row.values())


def test_a_fetch_is_logged_without_the_token(client_logged_in, user):
    path = _feed_path(client_logged_in)
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    RequestLog.objects.all().delete()
    request_log_flush()
    RequestLog.objects.all().delete()

    client_logged_in.get(path)
    request_log_flush()

    entry = RequestLog.objects.get(route="jobs:calendar_feed")
    values = " ".join(
        str(v) for v in RequestLog.objects.filter(pk=entry.pk).values().get().values()
    )
    assert token not in values


def test_the_feed_takes_the_same_queries_for_10_and_for_500_jobs(client, user, other_user):
    counts = []
    for person, size in ((user, 10), (other_user, 500)):
        for i in range(size):
            job = services.job_create(
                user=person,
                data={
                    "title": f"Role {i}",
                    "company": "Acme",
                    "follow_up_on": timezone.localdate(),
                },
            )
            if i % 5 == 0:
                interviews.interview_create(
                    job=job,
                    data={"kind": "phone", "starts_at": timezone.now() + timedelta(days=i % 9)},
                )
        feed = calendar_feed.calendar_feed_create(user=person)
        path = reverse("jobs:calendar_feed", args=[calendar_feed.feed_token(feed)])
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        counts.append(len(captured))

    assert counts[0] == counts[1]


def test_the_feed_page_is_reachable_from_the_board_and_your_data(client_logged_in):
    board = client_logged_in.get(reverse("jobs:board")).content.decode()
    your_data = client_logged_in.get(reverse("rights:your_data")).content.decode()

    assert reverse("jobs:feed_page") in board and reverse("jobs:feed_page") in your_data


def test_error_reports_and_console_logs_mask_the_feed_token(client_logged_in, user):
    from jobtrax.sentry import scrub_text

    path = _feed_path(client_logged_in)
    token = path.removeprefix("/calendar/").removesuffix(".ics")

    assert token not in scrub_text(f"GET https://jobtrax.example{path}")
    assert token not in scrub_text(f"Not Found: {path}")
