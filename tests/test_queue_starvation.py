"""Work that cannot starve other work: a slow import never delays a retention run.

Two real worker pools, as production runs them: one on the `imports` queue, one on
`retention`. A job site that takes 30 s to answer keeps the imports pool busy; a retention
run sent meanwhile still starts at once on its own pool.
"""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from jobtrax import datamap
from logs_retention.models import RetentionRun
from tests.import_pool import FETCH_TASK
from tests.workers import celery_worker, database_url_for_tests, wait_for

SLOW_SECONDS = 30.0
RETENTION_TASK = "logs_retention.tasks.retention_run_policy"


class SlowSite(ThreadingHTTPServer):
    """A job site on loopback that answers SLOW_SECONDS after it is asked."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), SlowHandler)
        self.asked = threading.Event()
        self.answered = threading.Event()
        self.released = threading.Event()  # set at teardown, so no thread outlives the test

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/jobs/42"


class SlowHandler(BaseHTTPRequestHandler):
    server: SlowSite

    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        self.server.asked.set()
        self.server.released.wait(SLOW_SECONDS)
        body = b"<html><body><h1>A job</h1></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            return  # the import pool was killed while it waited
        self.server.answered.set()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def slow_site():
    site = SlowSite()
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    yield site
    site.released.set()
    site.shutdown()
    site.server_close()


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_retention_run_starts_at_once_while_an_import_waits_on_a_slow_site(
    require_postgres, redis_url, slow_site
):
    database_url = database_url_for_tests()
    policy = datamap.policies()[0].name
    import_env = {"IMPORTER_ALLOW_LOOPBACK": "true", "IMPORTER_FETCH_TIMEOUT": "60"}
    with (
        celery_worker(
            database_url=database_url,
            redis_url=redis_url,
            queues=("imports",),
            app="tests.import_pool",
            env=import_env,
        ) as imports,
        celery_worker(
            database_url=database_url, redis_url=redis_url, queues=("retention",), purge=False
        ) as retention,
    ):
        try:
            imports.client().send_task(FETCH_TASK, args=[slow_site.url], queue="imports")
            wait_for(slow_site.asked.is_set, timeout=30)  # the import pool is now busy

            sent_at = time.monotonic()
            retention.client().send_task(RETENTION_TASK, args=[policy], queue="retention")
            run = wait_for(lambda: RetentionRun.objects.filter(policy=policy).first(), timeout=10)
            started_after = time.monotonic() - sent_at

            assert run.started_at is not None
            assert started_after < 5.0, retention.log()[-3000:]
            assert not slow_site.answered.is_set()  # the import is still waiting on the site
        finally:
            imports.kill_hard()  # it would wait out the site's 30 s otherwise
