"""A long board column shows its most recent cards (CARDS_PER_COLUMN) and a plain "Show all"
link; closed jobs are folded underneath, the most recently closed first, as many at most."""

from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import html

from jobs.models import Job
from jobs.selectors import CARDS_PER_COLUMN

pytestmark = pytest.mark.django_db


def _cards(response, stage: str) -> list:
    tree = html.fromstring(response.content)
    return tree.xpath(f'//ul[@class="job-cards"][@data-stage="{stage}"]/li')


def _fill(user, count: int, stage: str = "saved") -> None:
    now = timezone.now()
    Job.objects.bulk_create(
        Job(user=user, title=f"Role {i}", stage=stage, created_at=now, updated_at=now,
            stage_changed_at=now - timezone.timedelta(minutes=i))
        for i in range(count)
    )  # fmt: skip


def test_a_long_column_shows_its_most_recent_cards_and_a_show_all_link(client_logged_in, user):
    _fill(user, CARDS_PER_COLUMN + 7)

    response = client_logged_in.get(reverse("jobs:board"))

    assert response.status_code == HTTPStatus.OK
    cards = _cards(response, "saved")
    assert len(cards) == CARDS_PER_COLUMN
    assert "Role 0" in cards[0].text_content()
    assert b'data-testid="show-all-saved"' in response.content
    assert b"(7 more)" in response.content
    assert f'<span class="count">{CARDS_PER_COLUMN + 7}</span>'.encode() in response.content


def test_show_all_lists_every_card_of_that_column(client_logged_in, user):
    _fill(user, CARDS_PER_COLUMN + 7)

    response = client_logged_in.get(reverse("jobs:board"), {"show": "saved"})

    assert len(_cards(response, "saved")) == CARDS_PER_COLUMN + 7
    assert b'data-testid="show-all-saved"' not in response.content


def test_a_short_column_has_no_link(client_logged_in, user):
    _fill(user, 3)

    response = client_logged_in.get(reverse("jobs:board"))

    assert len(_cards(response, "saved")) == 3
    assert b"show-all-" not in response.content


def test_closed_jobs_show_the_most_recently_closed_and_point_to_the_list(client_logged_in, user):
    for stage in ("rejected", "withdrawn", "accepted"):
        _fill(user, CARDS_PER_COLUMN, stage=stage)
    newest = Job.objects.filter(user=user).order_by("-stage_changed_at", "-pk").first()

    response = client_logged_in.get(reverse("jobs:board"))

    tree = html.fromstring(response.content)
    closed = tree.xpath('//details[@data-testid="closed-jobs"]//li[@class="job-card"]')
    assert len(closed) == CARDS_PER_COLUMN
    assert closed[0].get("id") == f"job-{newest.pk}"
    assert f"Closed jobs ({3 * CARDS_PER_COLUMN})" in response.content.decode()
    assert b'data-testid="closed-more"' in response.content
