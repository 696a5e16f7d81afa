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


def test_a_signed_in_page_says_what_djangos_never_cache_helpers_say(client_logged_in):
    from django.http import HttpResponse
    from django.utils.cache import add_never_cache_headers, patch_cache_control

    expected = HttpResponse()
    add_never_cache_headers(expected)
    patch_cache_control(expected, private=True)
    response = client_logged_in.get(reverse("jobs:board"))
    assert response["Cache-Control"] == expected["Cache-Control"]
    assert "Expires" in response


def test_a_view_s_own_cache_control_is_kept_and_made_private(client_logged_in, user):
    """A view that says something of its own (a download with max-age) keeps it, merged."""
    from django.http import HttpResponse
    from django.test import RequestFactory

    from jobtrax.middleware import private_responses_not_stored

    def view(request):
        response = HttpResponse("x", content_type="text/csv")
        response["Cache-Control"] = "public, max-age=3600"
        return response

    response = private_responses_not_stored(view)(RequestFactory().get("/"))
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private", "max-age=0"} <= directives
    assert "public" not in directives
