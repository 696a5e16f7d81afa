"""Benchmark: the data export of a user with 100,000 request-log rows.

Measures the time (an untraced run) and the peak Python memory (tracemalloc, a second run) of
the streaming export, against two baselines measured in the same run: the export of a user
with no log rows (fixed cost), and a naive export that loads every row into memory and zips
one JSON string.

    .venv/bin/python benchmarks/export.py [--rows 100000]

Runs on a throwaway SQLite database unless DATABASE_URL is set.
"""

import argparse
import io
import json
import os
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup(workdir: Path) -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ.setdefault("DJANGO_DEBUG", "true")
    os.environ["JOBTRAX_VAR_DIR"] = str(workdir / "var")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobtrax.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_user(email: str, rows: int):
    from django.utils import timezone

    from accounts.models import User
    from logs_retention.models import RequestLog, SecurityEvent

    user = User.objects.create_user(email=email, password=None)
    now = timezone.now()
    if rows and RequestLog is not None:
        batch = []
        for i in range(rows):
            batch.append(
                RequestLog(
                    created_at=now, method="GET", route="rights:your_data", status=200,
                    duration_ms=i % 500, user=user, ip="81.2.69.142", ip_network="81.2.69.0",
                    browser_family="Firefox", browser_major="128", os_family="Linux",
                    device_type="desktop",
                )
            )  # fmt: skip
            if len(batch) == 5000:
                RequestLog.objects.bulk_create(batch)
                batch = []
        RequestLog.objects.bulk_create(batch)
    elif rows:
        SecurityEvent.objects.bulk_create(
            SecurityEvent(created_at=now, kind="login_succeeded", user=user, ip="81.2.69.142")
            for _ in range(rows)
        )
    return user


def measure(label: str, func) -> tuple[float, int]:
    """Time one run without tracing (tracemalloc slows Python down), then trace a second run."""
    started = time.perf_counter()
    size = func()
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    tracemalloc.reset_peak()
    func()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{label:<44} {elapsed:8.2f} s  peak {peak / 2**20:8.1f} MiB  zip {size / 2**20:6.1f} MiB"
    )
    return elapsed, peak


def streaming_export(user_id: int, workdir: Path) -> int:
    from rights.export import write_zip

    path = workdir / f"stream-{user_id}.zip"
    with open(path, "wb") as target:
        write_zip(user_id=user_id, target=target)
    return path.stat().st_size


def naive_export(user_id: int) -> int:
    """What the export avoids: every row in memory, one JSON string, one zip in memory."""
    from rights import registry
    from rights.export import _plain

    records = {}
    for kind in registry.installed_kinds():
        if not kind.exported:
            continue
        fields = kind.export_fields()
        rows = []
        for user_field in kind.user_fields or (None,):
            rows += [
                dict(zip(fields, [_plain(v) for v in row], strict=True))
                for row in kind.queryset_for(user_id, user_field).values_list(*fields)
            ]
        records[kind.name] = rows
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("data.json", json.dumps({"records": records}))
    return len(buffer.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jobtrax-bench-") as tmp:
        workdir = Path(tmp)
        setup(workdir)
        print(f"creating users ({args.rows:,} log rows)…")
        empty = make_user("empty@example.com", 0)
        heavy = make_user("heavy@example.com", args.rows)
        print()
        base_t, base_m = measure(
            "baseline: streaming export, no log rows", lambda: streaming_export(empty.pk, workdir)
        )
        naive_t, naive_m = measure(
            f"baseline: naive in-memory export, {args.rows:,} rows", lambda: naive_export(heavy.pk)
        )
        t, m = measure(
            f"streaming export, {args.rows:,} rows", lambda: streaming_export(heavy.pk, workdir)
        )
        print()
        print(f"streaming vs naive:    time x{t / naive_t:.2f}, peak memory x{m / naive_m:.3f}")
        print(f"streaming vs no rows:  time x{t / base_t:.1f}, peak memory x{m / base_m:.2f}")


if __name__ == "__main__":
    main()
