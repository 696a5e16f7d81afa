"""An unconfirmed import is gone within a day; it is exported and erased with the account."""

import json
import zipfile
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from importer.models import ImportPreview
from importer.services import preview_from_page
from jobtrax import datamap
from logs_retention.services import retention_run

pytestmark = pytest.mark.django_db


def aged(preview: ImportPreview, hours: float) -> ImportPreview:
    ImportPreview.objects.filter(pk=preview.pk).update(
        created_at=timezone.now() - timedelta(hours=hours)
    )
    return preview


def test_the_retention_job_deletes_previews_older_than_a_day_and_keeps_newer_ones(user):
    old = aged(preview_from_page(user=user, content="Old posting text"), 25)
    fresh = aged(preview_from_page(user=user, content="Fresh posting text"), 23)

    run = retention_run(policy_name="import_previews")

    assert not ImportPreview.objects.filter(pk=old.pk).exists()
    assert ImportPreview.objects.filter(pk=fresh.pk).exists()
    assert run.rows_deleted == 1


def test_the_policy_runs_every_ten_minutes_and_says_one_day():
    policy = datamap.policy("import_previews")

    assert policy.window == timedelta(days=1)
    assert policy.window_display == "1 day"
    assert policy.schedule.minute == set(range(0, 60, 10))


def test_a_preview_past_its_day_is_gone_for_its_owner_before_the_job_runs(client_logged_in, user):
    preview = aged(preview_from_page(user=user, content="Some posting text"), 24.1)

    response = client_logged_in.get(reverse("importer:preview", args=[preview.pk]))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_the_export_holds_a_waiting_import_and_erasure_deletes_it(user, tmp_path):
    from rights.erasure import erase_account
    from rights.export import write_zip

    preview_from_page(user=user, content="Waiting posting text")

    with open(tmp_path / "export.zip", "wb") as target:
        write_zip(user_id=user.pk, target=target, workspace=tmp_path)
    with zipfile.ZipFile(tmp_path / "export.zip") as archive:
        records = json.loads(archive.read("data.json"))["records"]["import_previews"]
    assert [r["method"] for r in records] == ["paste"]
    assert "Waiting posting text" in json.dumps(records)
    assert erase_account(user_id=user.pk, reason="user_request")
    assert not ImportPreview.objects.exists()
