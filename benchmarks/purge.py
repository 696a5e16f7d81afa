"""Purge benchmark on PostgreSQL: the retention job against one raw DELETE on an identical copy.

    .venv/bin/python benchmarks/purge.py            # 2,000,000 rows, 1,000,000 past the cutoff
    .venv/bin/python benchmarks/purge.py --quick    # 200,000 rows, 100,000 past the cutoff
    .venv/bin/python benchmarks/purge.py --rows 500000 --old 250000 --batch-size 5000

It prints the throughput of the batched purge (run in its own process, as a worker would run it)
as a ratio of one `DELETE ... WHERE created_at < cutoff` on a copy of the same table, the longest
single transaction of the purge (sampled from pg_stat_activity, and its longest statement), and
the purge process's peak memory at the full size and at a tenth of it, which should match.
Goals: ratio >= 0.5, longest transaction <= 1 s, peak memory flat.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/jobtrax_bench"
APP_NAME = "jobtrax-purge-bench"
TABLE = "logs_retention_requestlog"
COPY = "bench_requestlog_copy"


def _setup_django(database_url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobtrax.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ.setdefault("JOBTRAX_VAR_DIR", "/tmp/jobtrax-bench-var")  # noqa: S108
    import django

    django.setup()


def _ensure_database(database_url: str) -> None:
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(database_url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def _fill(cursor, rows: int, old: int) -> None:
    """`rows` log rows in time order, the first `old` of them past the 12-month cutoff."""
    cursor.execute(f"TRUNCATE {TABLE}")
    cursor.execute(
        f"""
        INSERT INTO {TABLE} (created_at, method, route, status, duration_ms, ip, ip_network,
                             browser_family, browser_major, os_family, device_type, anonymised)
        SELECT CASE WHEN i <= %(old)s
                    THEN now() - interval '730 days'
                         + interval '1 second' * (i::float8 * 31536000 / %(old)s)
                    ELSE now() - interval '300 days'
                         + interval '1 second' * ((i - %(old)s)::float8 * 25000000 / %(new)s)
               END,
               'GET', 'home', 200, (i %% 50), '81.2.69.142', '81.2.69.0',
               'Firefox', '128', 'Linux', 'desktop', false
        FROM generate_series(1, %(rows)s) AS i
        """,  # noqa: S608
        {"rows": rows, "old": old, "new": max(rows - old, 1)},
    )


def _child(args) -> None:
    """Run the purge as a worker would, and report its time, memory and longest statement."""
    _setup_django(args.database_url + f"?application_name={APP_NAME}")
    import resource

    from django.db import connection

    from logs_retention.services import retention_run

    longest = {"seconds": 0.0}

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            longest["seconds"] = max(longest["seconds"], time.perf_counter() - started)

    started = time.perf_counter()
    with connection.execute_wrapper(timed):
        run = retention_run(policy_name="request_logs_delete")
    elapsed = time.perf_counter() - started
    print(
        json.dumps(
            {
                "elapsed": elapsed,
                "deleted": run.rows_deleted,
                "batches": run.batches,
                "outcome": run.outcome,
                "longest_statement": longest["seconds"],
                "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            }
        )
    )


class TransactionSampler(threading.Thread):
    """Polls pg_stat_activity for the purge's open transaction, keeping the longest seen."""

    def __init__(self, database_url: str) -> None:
        super().__init__(daemon=True)
        self.database_url = database_url
        self.longest = 0.0
        self.stopped = threading.Event()

    def run(self) -> None:
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as conn:
            while not self.stopped.is_set():
                row = conn.execute(
                    "SELECT extract(epoch FROM max(clock_timestamp() - xact_start)) "
                    "FROM pg_stat_activity WHERE application_name = %s AND xact_start IS NOT NULL",
                    [APP_NAME],
                ).fetchone()
                if row and row[0] is not None:
                    self.longest = max(self.longest, float(row[0]))
                time.sleep(0.01)


def _purge_in_child(args, batch_size: int) -> dict:
    env = {**os.environ, "RETENTION_BATCH_SIZE": str(batch_size), "PYTHONPATH": str(ROOT)}
    sampler = TransactionSampler(args.database_url)
    sampler.start()
    try:
        out = subprocess.run(
            [sys.executable, __file__, "--child", "--database-url", args.database_url],
            check=True, capture_output=True, text=True, env=env, cwd=ROOT,
        )  # fmt: skip
    finally:
        sampler.stopped.set()
        sampler.join()
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["longest_transaction"] = sampler.longest
    return result


def _prepare(cursor, rows: int, old: int, *, copy: bool) -> None:
    _fill(cursor, rows, old)
    if copy:
        cursor.execute(f"DROP TABLE IF EXISTS {COPY}")
        cursor.execute(f"CREATE TABLE {COPY} (LIKE {TABLE} INCLUDING ALL)")
        cursor.execute(f"INSERT INTO {COPY} SELECT * FROM {TABLE}")  # noqa: S608
        cursor.execute(f"VACUUM ANALYZE {COPY}")
    cursor.execute(f"VACUUM ANALYZE {TABLE}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--old", type=int, default=1_000_000, help="rows past the cutoff")
    parser.add_argument("--quick", action="store_true", help="200,000 rows, 100,000 past it")
    parser.add_argument("--batch-size", type=int, default=20_000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return
    if args.quick:
        args.rows, args.old = 200_000, 100_000

    _ensure_database(args.database_url)
    _setup_django(args.database_url)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(f"PostgreSQL purge benchmark: {args.rows:,} rows, {args.old:,} past the cutoff")

    with connection.cursor() as cursor:
        _prepare(cursor, args.rows, args.old, copy=True)
        started = time.perf_counter()
        cursor.execute(
            f"DELETE FROM {COPY} WHERE created_at < now() - interval '365 days'"  # noqa: S608
        )
        raw_deleted = cursor.rowcount
        raw_seconds = time.perf_counter() - started
        cursor.execute(f"DROP TABLE {COPY}")
    connection.close()

    full = _purge_in_child(args, args.batch_size)
    assert full["deleted"] == raw_deleted == args.old, (full, raw_deleted)

    small_rows, small_old = max(args.rows // 10, 2), max(args.old // 10, 1)
    with connection.cursor() as cursor:
        _prepare(cursor, small_rows, small_old, copy=False)
    connection.close()
    small = _purge_in_child(args, args.batch_size)

    raw_rate = raw_deleted / raw_seconds
    purge_rate = full["deleted"] / full["elapsed"]
    ratio = purge_rate / raw_rate
    print(
        f"raw DELETE on the copy : {raw_deleted:,} rows in {raw_seconds:.2f} s "
        f"({raw_rate:,.0f} rows/s), one transaction of {raw_seconds:.2f} s"
    )
    print(
        f"batched purge          : {full['deleted']:,} rows in {full['elapsed']:.2f} s "
        f"({purge_rate:,.0f} rows/s) in {full['batches']} batches of {args.batch_size}"
    )
    print(f"throughput ratio       : {ratio:.2f}x   (goal >= 0.5)")
    print(
        f"longest transaction    : {full['longest_transaction'] * 1000:.0f} ms sampled, "
        f"longest statement {full['longest_statement'] * 1000:.0f} ms   (goal <= 1000 ms)"
    )
    full_mib, small_mib = full["peak_rss_kib"] / 1024, small["peak_rss_kib"] / 1024
    print(f"purge peak memory      : {full_mib:.1f} MiB at {args.old:,} rows, "
          f"{small_mib:.1f} MiB at {small_old:,} rows   (goal: flat)")  # fmt: skip


if __name__ == "__main__":
    main()
