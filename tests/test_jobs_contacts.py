"""Contacts on a job: other people's data, kept only with their job, deleted with it, marked
in the export, never in the writing assistant's text."""

import pytest
from django.urls import reverse

from jobs import contacts, services
from jobs.assist import text_to_send
from jobs.models import JobContact
from jobtrax import datamap
from tests.jobs_fixtures import add_job

pytestmark = pytest.mark.django_db


def test_a_contact_is_added_on_the_job_page_with_the_third_party_notice(client_logged_in, user):
    job = add_job(user)

    response = client_logged_in.post(
        reverse("jobs:contact_add", args=[job.pk]),
        {"name": "Ada Recruiter", "role": "Recruiter", "how_to_reach": "ada@acme.example"},
    )

    assert response.status_code == 302
    page = client_logged_in.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Ada Recruiter" in page and "other people’s personal data" in page


def test_a_contact_goes_with_its_job(user):
    job = add_job(user)
    contacts.contact_add(job=job, data={"name": "Ada"})

    services.job_delete(job=job)

    assert not JobContact.objects.exists()


def test_another_persons_contact_cannot_be_added_or_deleted(client, user, other_user):
    job = add_job(other_user)
    contact = contacts.contact_add(job=job, data={"name": "Ada"})
    client.force_login(user)

    assert client.post(reverse("jobs:contact_add", args=[job.pk]), {"name": "X"}).status_code == 404
    assert client.post(reverse("jobs:contact_delete", args=[contact.pk])).status_code == 404
    assert JobContact.objects.count() == 1


def test_the_export_marks_contacts_as_other_peoples_data():
    kind = next(k for k in datamap.kinds() if k.name == "job_contacts")

    assert "other people's personal data" in kind.title


def test_the_writing_assistant_text_holds_no_contact(user):
    job = add_job(user, description="<p>Build things</p>")
    contacts.contact_add(job=job, data={"name": "Ada Secret", "how_to_reach": "555-0100"})

    text = text_to_send(job=job, text="My cover note", include_description=True)

    assert "Ada Secret" not in text and "555-0100" not in text
