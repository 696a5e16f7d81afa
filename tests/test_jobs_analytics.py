"""Analytics: conversion between phases, response rate by channel and by month, the ghosted
rate and time in phase, from a hand-computed fixture; a constant number of queries."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs import analytics, services, stages
from jobs.models import Stage
from tests.jobs_fixtures import add_job

pytestmark = pytest.mark.django_db
START = datetime(2026, 10, 1, 9, 0)


def _job(user, title, moves, channel="manual"):
    job = add_job(user, title, channel=channel)
    at = timezone.make_aware(START)
    for days, stage in moves:
        services.job_move(job=job, stage=stage, at=at + timedelta(days=days))
    return job


def test_the_figures_match_a_hand_computed_fixture(user):
    own = stages.stage_add(user=user, name="Sent CV", phase="applied")
    _job(user, "A", [(0, Stage.APPLIED), (4, Stage.INTERVIEWING), (10, Stage.OFFER)], "link")
    _job(user, "B", [(0, own.key), (2, Stage.REJECTED)], "link")
    _job(user, "C", [(0, Stage.APPLIED), (30, Stage.GHOSTED)])
    _job(user, "D", [(0, Stage.REJECTED)])  # never applied

    result = analytics.report(user)

    conversions = {r.label: (r.total, r.hits) for r in result.conversions}
    assert conversions == {
        "Saved → Applied": (4, 3),
        "Applied → Interviewing": (3, 1),
        "Interviewing → Offer": (1, 1),
    }
    channels = {r.label: (r.total, r.hits, r.percent) for r in result.by_channel}
    assert channels["From a link"] == (2, 2, 100)
    assert [(r.label, r.total) for r in result.by_month] == [("2026-10", 3)]
    assert (result.ghosted.total, result.ghosted.hits, result.ghosted.few) == (3, 1, True)
    phase_days = {label: median for label, median, _ in result.phase_days}
    assert phase_days["Applied"] == 4.0  # stays of 4, 2 and 30 days
    assert phase_days["Interviewing"] == 6.0


def test_the_page_has_a_table_beside_each_chart(client_logged_in, user):
    _job(user, "A", [(0, Stage.APPLIED)])

    page = client_logged_in.get(reverse("jobs:analytics")).content.decode()

    assert page.count("<svg") == page.count('data-testid="table-') - 1  # and time in phase
    assert "(few)" in page
