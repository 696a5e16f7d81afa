"""What a new person stumbles on in the tracker: the stage picked on add, time in a stage,
the list's search and sorts, the page kept in place after a move."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs.models import Job, Stage, StageChange
from tests.jobs_fixtures import add_job

pytestmark = pytest.mark.django_db


def _add(client, **fields):
    data = {"title": "Platform engineer", "workplace": "unknown", **fields}
    return client.post(reverse("jobs:new"), data)


def test_the_add_form_has_a_stage_picker(client_logged_in):
    html = client_logged_in.get(reverse("jobs:new")).content.decode()

    assert 'name="stage"' in html
    assert '<option value="interviewing">Interviewing</option>' in html


def test_a_picked_stage_is_where_the_new_job_lands(client_logged_in, user):
    _add(client_logged_in, stage="interviewing")

    job = Job.objects.get(user=user)
    assert job.stage == Stage.INTERVIEWING
    assert list(job.stage_changes.values_list("to_stage", flat=True)) == [Stage.INTERVIEWING]


def test_a_date_applied_means_applied_unless_another_stage_is_picked(client_logged_in, user):
    applied = timezone.localdate() - timedelta(days=6)

    _add(client_logged_in, applied_on=applied.isoformat())
    _add(client_logged_in, title="Kept saved", applied_on=applied.isoformat(), stage="saved")

    job = Job.objects.get(user=user, title="Platform engineer")
    assert job.stage == Stage.APPLIED
    assert job.applied_on == applied
    assert Job.objects.get(user=user, title="Kept saved").stage == Stage.SAVED


def test_without_a_date_or_a_pick_a_new_job_is_saved(client_logged_in, user):
    _add(client_logged_in)

    assert Job.objects.get(user=user).stage == Stage.SAVED


def test_the_edit_form_has_no_stage_picker(client_logged_in, user):
    job = add_job(user)

    html = client_logged_in.get(reverse("jobs:edit", args=[job.pk])).content.decode()

    assert 'name="stage"' not in html


def test_time_in_stage_counts_from_the_date_applied(client_logged_in, user):
    applied = timezone.localdate() - timedelta(days=6)
    _add(client_logged_in, applied_on=applied.isoformat())

    board = client_logged_in.get(reverse("jobs:board")).content.decode()

    assert "6 days in this stage" in board
    change = StageChange.objects.get(job__user=user)
    assert timezone.localdate(change.changed_at) == applied


def test_time_in_stage_on_cards_counts_days_since_the_last_move(client_logged_in, user):
    job = add_job(user)
    Job.objects.filter(pk=job.pk).update(stage_changed_at=timezone.now() - timedelta(days=4))

    board = client_logged_in.get(reverse("jobs:board")).content.decode()

    assert "4 days in this stage" in board
