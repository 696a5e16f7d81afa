"""The board, the list and the exports read a fixed number of rows' worth of queries: the same
count for 10 jobs as for 500."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jobs.models import Job, Stage, StageChange

pytestmark = pytest.mark.django_db


def _fill(user, count: int) -> None:
    now = timezone.now()
    stages = [Stage.SAVED, Stage.APPLIED, Stage.INTERVIEWING, Stage.OFFER, Stage.REJECTED]
    jobs = Job.objects.bulk_create(
        Job(user=user, title=f"Role {i}", company=f"Company {i % 37}", stage=stages[i % 5],
            follow_up_on=timezone.localdate() if i % 7 == 0 else None, created_at=now,
            updated_at=now, stage_changed_at=now)
        for i in range(count)
    )  # fmt: skip
    StageChange.objects.bulk_create(
        StageChange(job=job, user=user, from_stage="", to_stage=job.stage, changed_at=now)
        for job in jobs
    )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["jobs:board", "jobs:list", "jobs:export_csv", "jobs:calendar"])
def test_the_query_count_does_not_grow_with_the_jobs(client, user, other_user, name):
    _fill(user, 10)
    _fill(other_user, 500)
    client.force_login(user)
    client.force_login(other_user)
    url = reverse(name)
    client.get(url)  # caches settle (session, consent, notice)

    client.force_login(user)
    client.get(url)
    few = _queries(client, url)
    client.force_login(other_user)
    client.get(url)
    many = _queries(client, url)

    assert few == many


def test_the_board_of_10_and_of_500_jobs_takes_the_same_queries(
    client, user, other_user, django_assert_num_queries, settings
):
    settings.PAGE_CACHE = False  # the board rendered on each request, as after every change
    _fill(user, 10)
    _fill(other_user, 500)
    client.force_login(user)
    client.get(reverse("jobs:board"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("jobs:board"))
    few = len(small)  # now: the next request clears the log the context reads from

    client.force_login(other_user)
    client.get(reverse("jobs:board"))
    with django_assert_num_queries(few):
        response = client.get(reverse("jobs:board"))

    # Each column counts all its jobs and shows its first CARDS_PER_COLUMN cards; closed jobs
    # are folded underneath, as many per closed stage.
    from jobs.selectors import CARDS_PER_COLUMN

    columns = {column.stage: column.count for column in response.context["columns"]}
    shown = sum(min(n, CARDS_PER_COLUMN) for n in columns.values())
    assert all(len(c.jobs) == min(c.count, CARDS_PER_COLUMN) for c in response.context["columns"])
    closed = response.context["closed_count"]
    assert sum(columns.values()) + closed == 500
    folded = len(response.context["closed"])
    assert folded <= closed
    assert response.content.decode().count('class="job-card"') == shown + folded


def _interviews_and_contacts(user, count: int) -> int:
    from datetime import timedelta

    from jobs.models import Interview, JobContact

    job = Job.objects.create(user=user, title="Busy role", company="Acme")
    start = timezone.now() + timedelta(days=1)
    Interview.objects.bulk_create(
        Interview(job=job, user=user, kind="video", starts_at=start + timedelta(hours=i))
        for i in range(count)
    )
    JobContact.objects.bulk_create(
        JobContact(job=job, user=user, name=f"Person {i}") for i in range(count)
    )
    return job.pk


@pytest.mark.parametrize("page", ["detail", "board", "week", "work_search", "analytics", "stages"])
def test_pages_take_the_same_queries_for_few_and_many_interviews_and_contacts(
    client, user, other_user, page
):
    counts = []
    for person, size in ((user, 10), (other_user, 500)):
        pk = _interviews_and_contacts(person, size)
        client.force_login(person)
        url = reverse("jobs:detail", args=[pk]) if page == "detail" else reverse(f"jobs:{page}")
        client.get(url)
        counts.append(_queries(client, url))

    assert counts[0] == counts[1]
