"""Request-log overhead: requests per second through the full Django stack, with and without it.

    .venv/bin/python benchmarks/request_log_overhead.py            # 8,000 requests each way
    .venv/bin/python benchmarks/request_log_overhead.py --quick    # 1,200 each way

Two WSGI handlers are built from the project's settings, one with RequestLogMiddleware and
one without; they take turns in short chunks of requests, so machine noise falls on both.
Logging runs as in production: entries are buffered and written by the background flusher.
The script prints the ratio of throughput with logging to throughput without it (goal >= 0.90)
and checks that every logged request reached the database.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/jobtrax_bench"
MIDDLEWARE = "logs_retention.requestlog.RequestLogMiddleware"
AGENTS = [
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.1 Safari/605.1.15",
]
PATHS = ["/", "/accounts/login/", "/privacy/"]


def _setup(database_url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="jobtrax.settings",
        SECURE_HTTPS="false",
        STATIC_MANIFEST="false",
        ALLOWED_HOSTS="testserver",
        LOG_LEVEL="WARNING",
    )
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ.setdefault("JOBTRAX_VAR_DIR", "/tmp/jobtrax-bench-var")  # noqa: S108
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from purge import _ensure_database

    _ensure_database(database_url)
    import django

    django.setup()


def _handler(*, with_log: bool):
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import override_settings

    middleware = [m for m in settings.MIDDLEWARE if with_log or m != MIDDLEWARE]
    with override_settings(MIDDLEWARE=middleware):
        return WSGIHandler()


def _environs() -> list[dict]:
    from django.test.client import RequestFactory

    factory = RequestFactory()
    return [
        factory._base_environ(
            PATH_INFO=path, REQUEST_METHOD="GET", HTTP_USER_AGENT=agent, REMOTE_ADDR="81.2.69.142"
        )
        for path in PATHS
        for agent in AGENTS
    ]


def _chunk(handler, environs: list[dict], count: int) -> float:
    """Serve `count` requests; returns the seconds it took."""

    def start_response(status, headers, exc_info=None):
        if not status.startswith(("200", "302")):
            raise RuntimeError(f"unexpected status {status}")

    started = time.perf_counter()
    for i in range(count):
        response = handler(dict(environs[i % len(environs)]), start_response)
        for _part in response:
            pass
        response.close()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=8000, help="requests each way")
    parser.add_argument("--chunk", type=int, default=100, help="requests per turn")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    args = parser.parse_args()
    if args.quick:
        args.requests = 1200
    _setup(args.database_url)
    from django.core.management import call_command

    from logs_retention.models import RequestLog
    from logs_retention.requestlog import buffer, dropped_count

    call_command("migrate", verbosity=0)
    RequestLog.objects.all().delete()
    dropped_before = dropped_count()
    plain, logged = _handler(with_log=False), _handler(with_log=True)
    environs = _environs()
    _chunk(plain, environs, 50)  # warm caches, templates, connections
    _chunk(logged, environs, 50)
    buffer.flush()
    RequestLog.objects.all().delete()

    without, with_ = [], []
    turns = max(args.requests // args.chunk, 1)
    for turn in range(turns):
        pair = [(plain, without), (logged, with_)]
        for handler, times in pair if turn % 2 == 0 else reversed(pair):
            times.append(_chunk(handler, environs, args.chunk))
    buffer.flush()
    written = RequestLog.objects.count()

    total = turns * args.chunk
    rate_without, rate_with = total / sum(without), total / sum(with_)
    turn_ratios = [p / w for w, p in zip(with_, without, strict=True)]
    print(
        f"request-log overhead: {total:,} requests each way in turns of {args.chunk}, "
        f"{len(PATHS)} pages, {len(AGENTS)} browsers"
    )
    print(f"without logging : {rate_without:8.1f} req/s")
    print(f"with logging    : {rate_with:8.1f} req/s")
    print(
        f"ratio           : {rate_with / rate_without:.3f}  (goal >= 0.90; median of turns "
        f"{statistics.median(turn_ratios):.3f})"
    )
    print(f"entries written : {written:,} of {total:,}, "
          f"dropped {dropped_count() - dropped_before}")  # fmt: skip


if __name__ == "__main__":
    main()
