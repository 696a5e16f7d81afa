"""A CSV names a person's own stages by key or by name: an export with one's own stages comes
back whole, history included, and a spreadsheet's "Phone screen" column lands in that stage."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jobs import services
from jobs.models import Job, Phase, StageChange
from jobs.stages import stage_add

pytestmark = pytest.mark.django_db


def _import(client, content: str):
    preview = client.post(
        reverse("jobs:csv_import"),
        {"file": SimpleUploadedFile("jobs.csv", content.encode(), "text/csv")},
    ).context["preview"]
    return preview, client.post(reverse("jobs:csv_import_confirm", args=[preview.token]))


def test_an_export_with_ones_own_stages_comes_back_with_its_history(client, user, other_user):
    screen = stage_add(user=user, name="Phone screen", phase=Phase.INTERVIEWING)
    job = services.job_create(user=user, data={"title": "Analyst"}, channel="manual")
    services.job_move(job=job, stage=screen.key)
    client.force_login(user)
    exported = client.get(reverse("jobs:export_csv")).content.decode()
    assert screen.key in exported

    # The same person, in an empty account of theirs: a second account with the same stages.
    stage_add(user=other_user, name="Phone screen", phase=Phase.INTERVIEWING)
    client.force_login(other_user)
    preview, _ = _import(client, exported)
    assert [row.errors for row in preview.rows] == [[]]
    imported = Job.objects.get(user=other_user)
    assert imported.stage == screen.key
    history = list(
        StageChange.objects.filter(job=imported)
        .order_by("changed_at", "pk")
        .values_list("from_stage", "to_stage")
    )
    assert history[-1] == ("saved", screen.key)


def test_a_spreadsheet_names_ones_own_stage_by_its_name(client, user):
    screen = stage_add(user=user, name="Phone screen", phase=Phase.INTERVIEWING)
    client.force_login(user)
    preview, _ = _import(client, "Title,Status\nData engineer,Phone screen\n")
    assert [row.errors for row in preview.rows] == [[]]
    assert Job.objects.get(user=user).stage == screen.key


def test_another_persons_stage_is_not_a_stage_of_yours(client, user, other_user):
    theirs = stage_add(user=other_user, name="Take-home", phase=Phase.INTERVIEWING)
    client.force_login(user)
    preview = client.post(
        reverse("jobs:csv_import"),
        {"file": SimpleUploadedFile("jobs.csv", b"Title,Status\nRole,Take-home\n", "text/csv")},
    ).context["preview"]
    assert preview.rows[0].errors
    assert "not a stage we know" in preview.rows[0].errors[0]
    assert preview.rows[0].stage == "saved" != theirs.key
