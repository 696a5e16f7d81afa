"""The tracker's pages: board, add, job page, list, moves with and without JavaScript."""

from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs.forms import JobForm
from jobs.models import Job, Stage, StageChange
from tests.jobs_fixtures import add_job, note_bodies

pytestmark = pytest.mark.django_db


def test_signing_in_lands_on_the_board(client, user, password):
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})

    assert response["Location"] == reverse("jobs:board")


def test_the_tracker_is_first_in_the_header(client_logged_in):
    html = client_logged_in.get(reverse("accounts:profile")).content.decode()
    header = html[html.index('aria-label="Account"') :]

    assert header.index(reverse("jobs:board")) < header.index(reverse("accounts:profile"))


def test_an_empty_board_says_how_to_add_a_job(client_logged_in):
    response = client_logged_in.get(reverse("jobs:board"))

    assert response.status_code == HTTPStatus.OK
    assert b'data-testid="empty-board"' in response.content
    assert reverse("jobs:new").encode() in response.content


def test_adding_a_job_by_hand_puts_it_on_the_board(client_logged_in, user):
    response = client_logged_in.post(
        reverse("jobs:new"),
        {"title": "Platform engineer", "company": "Acme", "workplace": "hybrid",
         "salary_min": "60000", "salary_max": "70000", "salary_currency": "EUR",
         "salary_interval": "year", "location": "Lyon, France"},
    )  # fmt: skip

    job = Job.objects.get(user=user)
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    board = client_logged_in.get(reverse("jobs:board")).content.decode()
    assert "Platform engineer" in board
    assert "60,000–70,000 EUR per year" in board
    assert "Lyon, France" in board
    assert 'data-testid="empty-board"' not in board


def test_a_duplicate_is_refused_with_a_link_to_the_saved_one(client_logged_in, user):
    existing = add_job(user, url="https://jobs.example/42")

    response = client_logged_in.post(
        reverse("jobs:new"),
        {"title": "Again", "workplace": "unknown", "url": "https://jobs.example/42/?utm_source=x"},
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert reverse("jobs:detail", args=[existing.pk]).encode() in response.content
    assert Job.objects.filter(user=user).count() == 1


def test_the_form_is_prefilled_from_an_imported_posting():
    form = JobForm(
        initial={
            "title": "SRE",
            "company": "Acme",
            "employment_type": "FULL_TIME",
            "salary_currency": "usd",
            "description": "&lt;p&gt;Hello&lt;/p&gt;&lt;script&gt;x()&lt;/script&gt;",
            "channel": "link",
            "board": "greenhouse",
            "board_id": "123",
        }
    )

    assert form["employment_type"].value() == "full_time"
    assert form["salary_currency"].value() == "USD"
    assert form["description"].value() == "Hello"  # edited as text
    assert form.description_html == "<p>Hello</p>"
    assert form["channel"].value() == "link"
    assert form["board"].value() == "greenhouse"
    html = str(form)
    assert 'name="board_id" value="123"' in html


def test_a_prefilled_form_posted_keeps_its_channel_board_and_board_id(client_logged_in, user):
    client_logged_in.post(
        reverse("jobs:new"),
        {
            "title": "SRE",
            "workplace": "remote",
            "channel": "link",
            "board": "lever",
            "board_id": "abc-1",
        },
    )

    job = Job.objects.get(user=user)
    assert (job.channel, job.board, job.board_id) == ("link", "lever", "abc-1")


def test_a_form_posted_with_an_unknown_channel_is_refused(client_logged_in, user):
    response = client_logged_in.post(
        reverse("jobs:new"), {"title": "SRE", "workplace": "remote", "channel": "pigeon"}
    )

    assert response.status_code == 400
    assert not Job.objects.filter(user=user).exists()


def test_moving_without_javascript_redirects_back_to_the_board(client_logged_in, user):
    job = add_job(user)

    response = client_logged_in.post(reverse("jobs:move", args=[job.pk]), {"stage": "applied"})

    assert response["Location"] == f"{reverse('jobs:board')}#job-{job.pk}"
    assert Job.objects.get(pk=job.pk).stage == Stage.APPLIED


def test_moving_by_drag_and_drop_answers_json(client_logged_in, user):
    job = add_job(user)

    response = client_logged_in.post(
        reverse("jobs:move", args=[job.pk]),
        {"stage": "interviewing"},
        HTTP_X_REQUESTED_WITH="fetch",
    )

    assert response.json() == {"stage": "interviewing", "label": "Interviewing"}
    assert Job.objects.get(pk=job.pk).stage == Stage.INTERVIEWING


def test_closed_jobs_are_folded_under_the_board(client_logged_in, user):
    job = add_job(user, "Gone role")
    client_logged_in.post(reverse("jobs:move", args=[job.pk]), {"stage": "rejected"})

    html = client_logged_in.get(reverse("jobs:board")).content.decode()

    closed = html[html.index('data-testid="closed-jobs"') :]
    assert "Gone role" in closed
    assert html.index('data-testid="board"') < html.index("Gone role")


def test_the_board_script_is_a_static_file(client_logged_in, user):
    add_job(user)

    html = client_logged_in.get(reverse("jobs:board")).content.decode()

    assert '<script src="/static/js/board.js" defer></script>' in html
    assert "<script>" not in html


def test_the_funnel_counts_every_stage_reached(client_logged_in, user):
    from jobs import services

    jobs = [add_job(user, f"Role {i}") for i in range(4)]
    for job in jobs[:3]:
        services.job_move(job=job, stage=Stage.APPLIED)
    services.job_move(job=jobs[0], stage=Stage.INTERVIEWING)
    services.job_move(job=jobs[1], stage=Stage.REJECTED)

    html = client_logged_in.get(reverse("jobs:board")).content.decode()

    table = html[html.index('data-testid="funnel-table"') :]
    for label, count in (("Saved", 4), ("Applied", 3), ("Interviewing", 1), ("Offer", 0)):
        assert f'<th scope="row">{label}</th><td>{count}</td>' in table
    assert "67% (2 of 3 applications answered)" in html
    assert "<svg" in html and "Funnel" in html


def test_the_job_page_shows_the_timeline_the_warning_and_a_safe_link(client_logged_in, user):
    job = add_job(user, url="https://jobs.example/7", description="<p>Build things</p>")
    client_logged_in.post(reverse("jobs:move", args=[job.pk]), {"stage": "applied"})

    html = client_logged_in.get(reverse("jobs:detail", args=[job.pk])).content.decode()

    assert "Saved (added)" in html and "Saved → Applied" in html
    assert 'href="https://jobs.example/7" rel="noopener noreferrer"' in html
    assert "Do not put sensitive personal information here" in html
    assert "<p>Build things</p>" in html


def test_setting_a_follow_up_and_adding_a_note_from_the_job_page(client_logged_in, user):
    job = add_job(user)
    day = timezone.localdate()

    response = client_logged_in.post(
        reverse("jobs:tracking", args=[job.pk]),
        {"follow_up_on": day.isoformat(), "applied_on": ""},
    )
    noted = client_logged_in.post(reverse("jobs:note_add", args=[job.pk]), {"body": "Call Sam"})

    assert response.status_code == HTTPStatus.FOUND
    assert noted.status_code == HTTPStatus.FOUND
    job.refresh_from_db()
    assert (job.follow_up_on, note_bodies(job)) == (day, ["Call Sam"])
    board = client_logged_in.get(reverse("jobs:board")).content.decode()
    assert "Follow up due" in board


def test_archive_unarchive_and_delete_from_the_job_page(client_logged_in, user):
    job = add_job(user, "Archivable")

    client_logged_in.post(reverse("jobs:archive", args=[job.pk]))
    assert "Archivable" not in client_logged_in.get(reverse("jobs:board")).content.decode()
    client_logged_in.post(reverse("jobs:unarchive", args=[job.pk]))
    assert "Archivable" in client_logged_in.get(reverse("jobs:board")).content.decode()
    confirm = client_logged_in.get(reverse("jobs:delete", args=[job.pk]))
    assert confirm.status_code == HTTPStatus.OK and Job.objects.filter(pk=job.pk).exists()
    client_logged_in.post(reverse("jobs:delete", args=[job.pk]))
    assert not Job.objects.filter(pk=job.pk).exists()
    assert not StageChange.objects.filter(job_id=job.pk).exists()


def test_editing_a_job(client_logged_in, user):
    job = add_job(user, "Before")

    response = client_logged_in.post(
        reverse("jobs:edit", args=[job.pk]), {"title": "After", "workplace": "remote"}
    )

    assert response.status_code == HTTPStatus.FOUND
    job.refresh_from_db()
    assert (job.title, job.workplace) == ("After", "remote")


def _titles(response) -> list[str]:
    html = response.content.decode()
    table = html[html.index('data-testid="job-table"') :]
    return [part.split("<", 1)[0] for part in table.split('">')[1:] if part.startswith("Role")]


def test_the_list_sorts_filters_and_searches(client_logged_in, user):
    from jobs import services

    a = add_job(user, "Role A", company="Zeta", notes="met at the fair")
    b = add_job(user, "Role B", company="Alpha", workplace="remote")
    c = add_job(user, "Role C", company="Mid", valid_through="2030-01-01")
    services.job_move(job=b, stage=Stage.OFFER)
    services.job_archive(job=a)
    url = reverse("jobs:list")

    assert _titles(client_logged_in.get(url, {"sort": "company"})) == ["Role B", "Role C"]
    assert _titles(client_logged_in.get(url, {"sort": "company", "archived": "all"})) == [
        "Role B", "Role C", "Role A"
    ]  # fmt: skip
    assert _titles(client_logged_in.get(url, {"sort": "deadline"}))[0] == "Role C"
    assert _titles(client_logged_in.get(url, {"stage": "offer"})) == ["Role B"]
    assert _titles(client_logged_in.get(url, {"workplace": "remote"})) == ["Role B"]
    assert _titles(client_logged_in.get(url, {"archived": "only"})) == ["Role A"]
    assert _titles(client_logged_in.get(url, {"q": "fair", "archived": "all"})) == ["Role A"]
    assert _titles(client_logged_in.get(url, {"q": "alpha"})) == ["Role B"]
    assert c.pk


def test_the_list_is_paginated(client_logged_in, user):
    for i in range(55):
        add_job(user, f"Role {i:02d}")

    first = client_logged_in.get(reverse("jobs:list"))
    second = client_logged_in.get(reverse("jobs:list"), {"page": "2"})
    beyond = client_logged_in.get(reverse("jobs:list"), {"page": "999"})

    assert len(_titles(first)) == 50
    assert len(_titles(second)) == 5
    assert _titles(beyond) == _titles(second)
    assert b'rel="next"' in first.content


def test_the_funnel_follows_every_move_and_deletion(client_logged_in, user):
    job = add_job(user)
    assert (
        '<th scope="row">Applied</th><td>0</td>' in client_logged_in.get("/jobs/").content.decode()
    )

    client_logged_in.post(reverse("jobs:move", args=[job.pk]), {"stage": "applied"})
    assert (
        '<th scope="row">Applied</th><td>1</td>' in client_logged_in.get("/jobs/").content.decode()
    )

    add_job(user, "Second")
    client_logged_in.post(reverse("jobs:delete", args=[job.pk]))
    html = client_logged_in.get("/jobs/").content.decode()
    assert '<th scope="row">Saved</th><td>1</td>' in html
    assert '<th scope="row">Applied</th><td>0</td>' in html
