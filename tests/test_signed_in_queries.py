"""Every signed-in page a job seeker uses all day runs the same number of queries for 10 jobs as
for 500 (with their notes, stage history and reminders), and the board at most 6."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from importer import services as importer_services
from jobs.models import Job, JobNote, StageChange

pytestmark = pytest.mark.django_db

BOARD_MAX_QUERIES = 6
PAGE = (
    '<html><head><title>Data Engineer</title><script type="application/ld+json">'
    '{"@context": "https://schema.org", "@type": "JobPosting", "title": "Data Engineer",'
    ' "hiringOrganization": {"@type": "Organization", "name": "Acme"}}'
    "</script></head><body></body></html>"
)


def _fill(user, count: int) -> dict[str, str]:
    """`count` jobs over every stage, each with a note, a follow-up and two stage changes; the
    addresses of one job page and one import preview."""
    now = timezone.now()
    stages = ["saved", "applied", "interviewing", "offer", "rejected"]
    jobs = Job.objects.bulk_create(
        Job(user=user, title=f"Role {i}", company=f"Company {i % 37}", stage=stages[i % 5],
            follow_up_on=timezone.localdate(),
            created_at=now, updated_at=now, stage_changed_at=now)
        for i in range(count)
    )  # fmt: skip
    JobNote.objects.bulk_create(
        JobNote(job=job, user=user, body=f"Called about role {job.title}.", written_at=now)
        for job in jobs
    )
    StageChange.objects.bulk_create(
        StageChange(job=job, user=user, from_stage=before, to_stage=after, changed_at=now)
        for job in jobs
        for before, after in (("", "saved"), ("saved", job.stage))
    )
    preview = importer_services.preview_from_page(
        user=user, content=PAGE, url="https://a.example/1"
    )
    return {
        "job page": reverse("jobs:detail", args=[jobs[0].pk]),
        "import preview": reverse("importer:preview", args=[preview.pk]),
    }


def _queries(client, url: str) -> int:
    client.get(url)  # caches settle
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


PAGES = ["board", "list", "your data", "job page", "import preview"]


def _url(name: str, own: dict[str, str]) -> str:
    fixed = {"board": "jobs:board", "list": "jobs:list", "your data": "rights:your_data"}
    return reverse(fixed[name]) if name in fixed else own[name]


@pytest.mark.parametrize("cached", [True, False], ids=["parts cached", "rendered afresh"])
@pytest.mark.parametrize("name", PAGES)
def test_the_page_takes_as_many_queries_for_500_jobs_as_for_10(
    client, user, other_user, name, cached, settings
):
    settings.PAGE_CACHE = cached
    few_urls = _fill(user, 10)
    many_urls = _fill(other_user, 500)
    client.force_login(user)
    few = _queries(client, _url(name, few_urls))
    client.force_login(other_user)
    many = _queries(client, _url(name, many_urls))
    assert few == many


@pytest.mark.parametrize("cached", [True, False], ids=["parts cached", "rendered afresh"])
def test_the_board_takes_at_most_six_queries(client, user, cached, settings):
    settings.PAGE_CACHE = cached
    _fill(user, 500)
    client.force_login(user)
    assert _queries(client, reverse("jobs:board")) <= BOARD_MAX_QUERIES
