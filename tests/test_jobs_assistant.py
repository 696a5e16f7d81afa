"""The writing assistant on a job page: off without a provider; the page shows exactly what
will be sent (the person's text, the description only when ticked) before anything is sent."""

from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.jobs_fixtures import add_job, note_bodies
from tests.test_assistant import provider  # noqa: F401 - the fake AI provider on loopback

pytestmark = pytest.mark.django_db

TEXT = "I would love to join your data team."
DESCRIPTION = "<p>We build <strong>pipelines</strong>.</p>"


@pytest.fixture
def job(user):
    return add_job(user, "Data engineer", description=DESCRIPTION, notes="private-note-77")


def test_it_is_off_without_a_provider(client_logged_in, job, settings):
    settings.AI_API_URL = ""

    page = client_logged_in.get(reverse("jobs:detail", args=[job.pk])).content.decode()

    assert reverse("jobs:assistant", args=[job.pk]) not in page
    assert client_logged_in.get(reverse("jobs:assistant", args=[job.pk])).status_code == 404


def test_the_preview_shows_what_would_be_sent_and_sends_nothing(client_logged_in, job, provider):  # noqa: F811
    response = client_logged_in.post(
        reverse("jobs:assistant", args=[job.pk]),
        {"task": "polish", "text": TEXT, "include_description": "on", "step": "preview"},
    )

    assert response.status_code == HTTPStatus.OK
    assert response.context["preview"] == (
        f"{TEXT}\n\nThe job posting this is for:\nWe build pipelines."
    )
    assert provider.received == []


def test_it_sends_the_text_and_the_description_only_when_ticked(client_logged_in, job, provider):  # noqa: F811
    url = reverse("jobs:assistant", args=[job.pk])

    client_logged_in.post(url, {"task": "polish", "text": TEXT, "step": "send"})
    client_logged_in.post(
        url, {"task": "polish", "text": TEXT, "include_description": "on", "step": "send"}
    )

    without, with_description = (r["body"]["messages"][1]["content"] for r in provider.received)
    assert without == TEXT
    assert with_description == f"{TEXT}\n\nThe job posting this is for:\nWe build pipelines."
    for request in provider.received:
        sent = str(request)
        for private in ("private-note-77", "Data engineer", "alice@example.com"):
            assert private not in sent


def test_the_answer_is_shown_with_the_disclaimer_and_nothing_is_stored(
    client_logged_in,
    job,
    provider,  # noqa: F811
):
    from jobs.models import Job

    response = client_logged_in.post(
        reverse("jobs:assistant", args=[job.pk]), {"task": "polish", "text": TEXT, "step": "send"}
    )

    html = response.content.decode()
    assert "I am writing to apply." in html and 'data-testid="ai-disclaimer"' in html
    stored = Job.objects.get(pk=job.pk)
    assert TEXT not in "".join([*note_bodies(stored), stored.description])


def test_it_refuses_under_a_restriction(client_logged_in, user, job, provider):  # noqa: F811
    user.processing_restricted_at = timezone.now()
    user.save(update_fields=["processing_restricted_at"])

    response = client_logged_in.post(
        reverse("jobs:assistant", args=[job.pk]), {"task": "polish", "text": TEXT, "step": "send"}
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert provider.received == []


@pytest.mark.parametrize(
    "data",
    [{}, {"task": "hack", "text": TEXT}, {"task": "polish", "text": ""},
     {"task": "polish", "text": "x" * 5000}, {"task": "polish", "text": "a\x00b"}],
)  # fmt: skip
def test_bad_input_is_refused_without_calling_the_provider(client_logged_in, job, provider, data):  # noqa: F811
    response = client_logged_in.post(
        reverse("jobs:assistant", args=[job.pk]), {**data, "step": "send"}
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert provider.received == []


def test_another_persons_job_is_not_found(client, other_user, provider):  # noqa: F811
    theirs = add_job(other_user, "Theirs", description=DESCRIPTION)
    from tests.conftest import make_user

    client.force_login(make_user("eve@example.com"))

    response = client.post(
        reverse("jobs:assistant", args=[theirs.pk]),
        {"task": "polish", "text": TEXT, "include_description": "on", "step": "send"},
    )

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert provider.received == []
