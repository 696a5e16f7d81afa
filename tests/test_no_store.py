"""Signed-in pages and every download say `Cache-Control: no-store`: a shared computer's
browser cache, or a proxy, keeps no copy of someone's jobs, data or calendar."""

import pytest
from django.urls import reverse

from tests.jobs_fixtures import add_job

pytestmark = pytest.mark.django_db


def _no_store(response) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return "no-store" in directives


@pytest.mark.parametrize(
    "name",
    [
        "jobs:board",
        "jobs:list",
        "jobs:new",
        "accounts:profile",
        "rights:your_data",
        "importer:start",
    ],
)
def test_every_signed_in_page_is_not_stored(client_logged_in, name):
    response = client_logged_in.get(reverse(name))

    assert response.status_code == 200
    assert _no_store(response)


def test_a_job_page_is_not_stored(client_logged_in, user):
    job = add_job(user)

    assert _no_store(client_logged_in.get(reverse("jobs:detail", args=[job.pk])))


@pytest.mark.parametrize("name", ["jobs:export_csv", "jobs:calendar"])
def test_downloads_are_not_stored(client_logged_in, user, name):
    add_job(user)

    response = client_logged_in.get(reverse(name))

    assert response.status_code == 200
    assert _no_store(response)


def test_a_visitor_page_may_be_cached_as_before(client):
    response = client.get("/privacy/")

    assert response.status_code == 200
    assert not _no_store(response)
