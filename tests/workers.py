"""Real Celery processes for end-to-end tests.

`celery_worker(...)` starts `celery -A jobtrax worker` (optionally with `--beat`) as a
subprocess against a given Redis broker (or, with `redis_url=None`, the embedded filesystem
broker) and database, waits until the worker is ready, and kills its process group on exit.
The worker must see the test's rows, so tests that use it need `transactional_db` and a
database the subprocess can open (PostgreSQL): `database_url_for_tests()` builds the URL of
the test database pytest-django created.

`beat_every=N` runs beat with every retention entry of the schedule fired every N seconds
(see tests/fast_beat.py), so a scheduled purge can be watched end to end in seconds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def database_url_for_tests(alias: str = "default") -> str:
    """The URL of the database this test runs against (pytest-django's `test_<name>`)."""
    from django.db import connections

    s = connections[alias].settings_dict
    if s["ENGINE"] != "django.db.backends.postgresql":
        raise RuntimeError("a worker subprocess needs a PostgreSQL test database")
    auth = quote(s.get("USER") or "")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"])
    host = s.get("HOST") or "127.0.0.1"
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{auth}@{host}{port}/{quote(s['NAME'])}"


def worker_env(*, database_url: str, redis_url: str | None, **extra: str) -> dict[str, str]:
    """The environment a worker needs: the test's database and broker, test-safe settings.

    Without `redis_url` the worker uses the embedded filesystem broker under JOBTRAX_VAR_DIR.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "DJANGO_SETTINGS_MODULE", "REDIS_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="jobtrax.settings",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url or "",
        SECRET_KEY=env.get("SECRET_KEY") or "test-only-not-secret",
        SECURE_HTTPS="false",
        STATIC_MANIFEST="false",
        CELERY_TASK_ALWAYS_EAGER="false",
        PYTHONUNBUFFERED="1",
    )
    env.update({key: str(value) for key, value in extra.items()})
    return env


@dataclass
class Worker:
    process: subprocess.Popen
    node_name: str
    redis_url: str | None
    log_path: Path
    _client: object = field(default=None, repr=False)

    @property
    def pid(self) -> int:
        return self.process.pid

    def client(self):
        """A Celery app that talks to this worker's broker (not the eager test app)."""
        if self.redis_url is None:
            raise RuntimeError("sending tasks needs a Redis broker; this worker runs on beat")
        if self._client is None:
            from celery import Celery

            self._client = Celery("jobtrax-test-client", broker=self.redis_url)
            self._client.conf.broker_connection_retry_on_startup = True
        return self._client

    def send(self, task_name: str, *args, **kwargs):
        """Send a task by name to the queue its declaration names, as the app would."""
        from jobtrax.celery import app

        queue = getattr(app.tasks.get(task_name), "queue", None) or app.conf.task_default_queue
        return self.client().send_task(task_name, args=args, kwargs=kwargs, queue=queue)

    def ping(self, timeout: float = 1.0) -> bool:
        if self.redis_url is None:  # no broadcast on the filesystem broker: read the log
            return f"{self.node_name} ready." in self.log()
        try:
            replies = self.client().control.ping(destination=[self.node_name], timeout=timeout)
        except Exception:  # noqa: BLE001 - the broker may not be reachable yet
            return False
        return any(self.node_name in reply for reply in replies or [])

    def alive(self) -> bool:
        return self.process.poll() is None

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def kill_hard(self) -> None:
        """SIGKILL the worker and all its children: no shutdown handlers, no acks."""
        if self.alive():
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self, timeout: float = 15.0) -> None:
        if not self.alive():
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=timeout)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            self.kill_hard()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


@contextmanager
def celery_worker(
    *,
    database_url: str,
    redis_url: str | None,
    beat: bool = False,
    beat_every: float | None = None,
    env: dict[str, str] | None = None,
    concurrency: int = 1,
    ready_timeout: float = 60.0,
    purge: bool = True,
    queues: tuple[str, ...] | None = None,
    app: str = "jobtrax",
) -> Iterator[Worker]:
    """Run a real worker (and beat) until the block ends; yields a `Worker` handle.

    `queues` limits it to those queues, as one of production's pools; by default it consumes
    every queue, like `make run`'s single worker. `app` is the Celery app module it loads
    (a test module may add tasks to JobTrax's own app, see tests/import_pool.py).

    With `purge` (the default) messages left in the broker by an earlier test are dropped
    first, so the worker runs only what this test sends or schedules.
    """
    workdir = Path(tempfile.mkdtemp(prefix="jobtrax-worker-"))
    node_name = f"test-{uuid.uuid4().hex[:8]}@localhost"
    extra = dict(env or {})
    extra.setdefault("JOBTRAX_VAR_DIR", str(workdir / "var"))
    if beat_every is not None:
        beat = True
        app = "tests.fast_beat"
        extra["FAST_BEAT_SECONDS"] = str(beat_every)
    cmd = [
        sys.executable, "-m", "celery", "-A", app, "worker",
        "--loglevel", "INFO", "--concurrency", str(concurrency),
        "--hostname", node_name, "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    if beat:
        cmd += ["--beat", "--schedule", str(workdir / "beat-schedule")]
    if queues:
        cmd += ["--queues", ",".join(queues)]
    if purge and redis_url:
        from celery import Celery
        from kombu import Queue

        from jobtrax.celery import QUEUES

        with Celery("jobtrax-test-purge", broker=redis_url) as purger:
            purger.conf.task_queues = [Queue(name, routing_key=name) for name in QUEUES]
            purger.control.purge()
    log_path = workdir / "worker.log"
    with open(log_path, "wb") as log_file:
        process = subprocess.Popen(
            cmd,
            cwd=PROJECT_ROOT,
            env=worker_env(database_url=database_url, redis_url=redis_url, **extra),
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so exit kills its children too
        )
    worker = Worker(process=process, node_name=node_name, redis_url=redis_url, log_path=log_path)
    try:
        deadline = time.monotonic() + ready_timeout
        while not worker.ping():
            if not worker.alive():
                raise RuntimeError(f"the Celery worker exited early:\n{worker.log()[-4000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the Celery worker was not ready:\n{worker.log()[-4000:]}")
            time.sleep(0.3)
        yield worker
    finally:
        worker.stop()
        worker.close()


def wait_for(condition: Callable[[], object], *, timeout: float = 30.0, every: float = 0.2):
    """Poll `condition` until it returns something truthy; return it, or fail on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        time.sleep(every)
