"""Stages of one's own: renamed, added, reordered and hidden; each maps to a phase that the
funnel counts, so "Saved → Rejected" is not an application and a stage of one's own mapped to
"applied" is."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs import selectors, services, stages
from jobs.models import Job, PersonalStage, Phase, Stage
from tests.jobs_fixtures import add_job

pytestmark = pytest.mark.django_db


def _steps(user) -> dict[str, int]:
    return dict(selectors.funnel(user).steps)


def test_the_defaults_are_the_built_in_stages_and_ghosted_created_on_first_read(user):
    assert not PersonalStage.objects.exists()

    names = [s.name for s in stages.stage_map(user).stages]

    assert names == [
        "Saved", "Applied", "Interviewing", "Offer", "Accepted", "Rejected", "Withdrawn",
        "No reply", "Ghosted",
    ]  # fmt: skip
    assert stages.stage_map(user).phase_of("ghosted") == Phase.CLOSED_LOST
    assert PersonalStage.objects.count() == 9  # once


def test_a_stage_of_ones_own_mapped_to_applied_counts_in_the_funnel(client_logged_in, user):
    job = add_job(user, "Data engineer")
    client_logged_in.post(
        reverse("jobs:stages"), {"action": "add", "name": "Sent CV", "phase": "applied"}
    )
    own = PersonalStage.objects.get(name="Sent CV")

    response = client_logged_in.post(reverse("jobs:move", args=[job.pk]), {"stage": own.key})

    assert response.status_code == 302
    job.refresh_from_db()
    assert job.stage == own.key and job.applied_on == timezone.localdate()
    assert _steps(user) == {"Saved": 1, "Applied": 1, "Interviewing": 0, "Offer": 0}
    board = client_logged_in.get(reverse("jobs:board")).content.decode()
    assert "Sent CV" in board


def test_saved_then_rejected_is_not_an_application(user):
    never_applied = add_job(user, "A")
    services.job_move(job=never_applied, stage=Stage.REJECTED)
    applied = add_job(user, "B")
    services.job_move(job=applied, stage=Stage.APPLIED)
    services.job_move(job=applied, stage=Stage.REJECTED)
    archived = add_job(user, "C")
    services.job_move(job=archived, stage=Stage.APPLIED)
    services.job_archive(job=archived)

    funnel = selectors.funnel(user)

    assert dict(funnel.steps) == {"Saved": 3, "Applied": 2, "Interviewing": 0, "Offer": 0}
    assert (funnel.applied, funnel.replied) == (2, 1)  # the rejection answered B


def test_the_median_days_to_a_reply_on_a_hand_computed_fixture(user):
    start = timezone.make_aware(datetime(2026, 10, 1, 9, 0))
    # Applied, answered after 2, 5 and 10 days; one never answered: median 5.
    for i, days in enumerate((2, 5, 10, None)):
        job = add_job(user, f"Role {i}")
        services.job_move(job=job, stage=Stage.APPLIED, at=start)
        if days is not None:
            services.job_move(job=job, stage=Stage.INTERVIEWING, at=start + timedelta(days=days))

    funnel = selectors.funnel(user)

    assert funnel.median_days_to_reply == 5.0
    assert (funnel.applied, funnel.replied, funnel.response_rate) == (4, 3, 75)


def test_renaming_reordering_and_hiding_shape_the_board(client_logged_in, user):
    add_job(user, "Platform engineer")
    form = {}
    for stage in stages.stage_map(user).stages:
        form[f"name-{stage.key}"] = stage.name
        form[f"phase-{stage.key}"] = stage.phase
        form[f"position-{stage.key}"] = stage.position
    form["name-saved"] = "Wishlist"
    form["hidden-offer"] = "on"

    assert client_logged_in.post(reverse("jobs:stages"), form).status_code == 302

    board = client_logged_in.get(reverse("jobs:board")).content.decode()
    assert 'id="col-saved">Wishlist' in board
    assert 'data-stage="offer"' not in board
    assert 'data-stage="applied"' in board


def test_a_stage_must_have_a_name_and_a_known_phase(client_logged_in, user):
    blank = client_logged_in.post(
        reverse("jobs:stages"), {"action": "add", "name": "  ", "phase": "applied"}
    )
    unknown = client_logged_in.post(
        reverse("jobs:stages"), {"action": "add", "name": "Odd", "phase": "limbo"}
    )

    assert blank.status_code == 400 and unknown.status_code == 400
    assert not PersonalStage.objects.filter(name="Odd").exists()


def test_a_stage_of_someone_else_is_not_a_stage_to_move_to(client_logged_in, user, other_user):
    theirs = stages.stage_add(user=other_user, name="Their stage", phase="offer")
    job = add_job(user)

    client_logged_in.post(reverse("jobs:move", args=[job.pk]), {"stage": theirs.key})

    job.refresh_from_db()
    assert job.stage == Stage.SAVED


def _silent(user, title, days):
    job = add_job(user, title, company="Quiet Co")
    services.job_move(job=job, stage=Stage.APPLIED)
    Job.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(days=days))
    return job


def test_a_silent_application_is_proposed_for_ghosted_and_moves_there(client_logged_in, user):
    silent = _silent(user, "Silent role", 30)
    _silent(user, "Recent role", 3)

    board = client_logged_in.get(reverse("jobs:board")).content.decode()
    assert 'data-testid="ghosting-nudge"' in board
    assert "Silent role" in board.split('data-testid="ghosting-nudge"')[1].split("</section>")[0]
    assert (
        "Recent role" not in board.split('data-testid="ghosting-nudge"')[1].split("</section>")[0]
    )

    client_logged_in.post(reverse("jobs:move", args=[silent.pk]), {"stage": "ghosted"})

    silent.refresh_from_db()
    assert silent.stage == "ghosted"
    board = client_logged_in.get(reverse("jobs:board")).content.decode()
    assert 'data-testid="ghosting-nudge"' not in board


def test_a_dismissed_proposal_is_not_made_again(client_logged_in, user, settings):
    settings.JOBS_GHOSTED_DAYS = 10
    silent = _silent(user, "Silent role", 12)

    client_logged_in.post(reverse("jobs:ghosting_dismiss", args=[silent.pk]))

    silent.refresh_from_db()
    assert silent.stage == Stage.APPLIED and silent.ghosting_dismissed_at is not None
    assert (
        'data-testid="ghosting-nudge"'
        not in client_logged_in.get(reverse("jobs:board")).content.decode()
    )


def test_the_csv_export_gives_each_jobs_phase_even_for_a_stage_of_ones_own(client_logged_in, user):
    import csv
    import io

    own = stages.stage_add(user=user, name="Sent CV", phase="applied")
    job = add_job(user, "Data engineer")
    services.job_move(job=job, stage=own.key)

    body = client_logged_in.get(reverse("jobs:export_csv")).content.decode()

    row = next(csv.DictReader(io.StringIO(body)))
    assert (row["stage"], row["phase"]) == (own.key, "applied")
