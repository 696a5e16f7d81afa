""" "Applied before?": adding a job at a company applied to in the last six months shows the
earlier application first; saving needs a confirmation. Company names are normalised."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs.applied_before import normalise_company
from jobs.models import Job
from tests.jobs_fixtures import add_job

pytestmark = pytest.mark.django_db


def test_company_names_are_normalised():
    assert normalise_company("ACME, Inc.") == normalise_company("Acme") == "acme"
    assert normalise_company("Müller GmbH") == normalise_company("Muller") == "muller"


def _add(client, **extra):
    form = {"title": "Senior Data Engineer", "company": "Globex GmbH", "workplace": "unknown",
            "channel": "manual"}  # fmt: skip
    form.update(extra)
    return client.post(reverse("jobs:new"), form)


def test_the_earlier_application_is_shown_before_saving(client_logged_in, user):
    add_job(user, "Data Engineer", company="globex", applied_on=timezone.localdate())

    first = _add(client_logged_in)

    assert first.status_code == 200
    page = first.content.decode()
    assert 'data-testid="applied-before"' in page and "a similar title" in page
    assert Job.objects.count() == 1

    confirmed = _add(client_logged_in, applied_before="ok")
    assert confirmed.status_code == 302 and Job.objects.count() == 2


def test_an_application_older_than_six_months_or_elsewhere_is_not_shown(client_logged_in, user):
    add_job(user, "Data Engineer", company="Globex",
            applied_on=timezone.localdate() - timedelta(days=200))  # fmt: skip
    add_job(user, "Data Engineer", company="Initech", applied_on=timezone.localdate())

    assert _add(client_logged_in).status_code == 302
