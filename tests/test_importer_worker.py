"""A real worker reads links from the `imports` queue; its log never names the link."""

import pytest

from importer.models import ImportPreview
from tests.importer_fixtures import job_site, job_site_env
from tests.workers import celery_worker, database_url_for_tests, wait_for

SECRET_PATH = "/careers/data-analyst"


@pytest.fixture
def site(settings):
    server = job_site(settings)
    yield server
    server.stop()


def test_a_worker_on_the_imports_queue_reads_the_link_and_logs_only_the_id(
    require_postgres, redis_url, transactional_db, user, site
):
    preview = ImportPreview.objects.create(owner=user, method="link", link=site.url(SECRET_PATH))

    with celery_worker(
        database_url=database_url_for_tests(),
        redis_url=redis_url,
        queues=("imports",),
        env=job_site_env(site),
    ) as worker:
        worker.send("importer.tasks.preview_read", str(preview.pk))
        wait_for(
            lambda: ImportPreview.objects.filter(pk=preview.pk, status="ready").exists(),
            timeout=30,
        )
        log = worker.log()

    preview.refresh_from_db()
    assert [p["title"] for p in preview.postings] == ["Data Analyst"]
    assert preview.link == ""
    assert "importer.tasks.preview_read" in log
    assert str(preview.pk) in log
    assert SECRET_PATH not in log and "data-analyst" not in log
