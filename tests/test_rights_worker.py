"""Export and erasure on a real Celery worker with Redis and PostgreSQL."""

import io
import json
import secrets
import zipfile
from http import HTTPStatus

import jsonschema
import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import make_user
from tests.workers import celery_worker, database_url_for_tests, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


@pytest.mark.django_db(transaction=True)
def test_it_builds_an_export_and_erases_an_account_on_a_real_worker(
    require_postgres, redis_url, settings, tmp_path, client
):
    from accounts.models import User
    from rights import services
    from rights.models import DataExport, DataSubjectRequest, DeletionReceipt

    media = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media)},
        },
    }
    alice = make_user("alice@example.com")
    bob = make_user("bob@example.com")
    export = DataExport.objects.create(user=alice, token=secrets.token_urlsafe(32))
    dsr = services.deletion_start(user=bob)
    DataSubjectRequest.objects.filter(pk=dsr.pk).update(erase_after=timezone.now())

    with celery_worker(
        database_url=database_url_for_tests(),
        redis_url=redis_url,
        env={"MEDIA_ROOT": str(media)},
    ) as worker:
        worker.send("rights.tasks.export_build", export.pk)
        worker.send("rights.tasks.account_erase_due")
        wait_for(lambda: DataExport.objects.get(pk=export.pk).status == "ready")
        wait_for(lambda: not User.objects.filter(pk=bob.pk).exists())

    assert DeletionReceipt.objects.get().request_id_ref == dsr.pk
    client.force_login(alice)
    response = client.get(reverse("rights:export_download", args=[export.token]))
    assert response.status_code == HTTPStatus.OK
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("data.json"))
    jsonschema.validate(data, json.loads(archive.read("schema.json")))
    assert data["records"]["account"][0]["email"] == "alice@example.com"
