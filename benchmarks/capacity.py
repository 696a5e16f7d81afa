"""Capacity figures on PostgreSQL: database size per account, and erasure time per account.

    .venv/bin/python benchmarks/capacity.py [--accounts 20] [--jobs 100]

In a fresh database (`jobtrax_capacity`, dropped and made again), it creates `--accounts`
job seekers, each with `--jobs` tracked jobs made through the jobs service, reads
pg_total_relation_size of every table before and after (tables, indexes and TOAST, after a
VACUUM ANALYZE), and prints the bytes per account and their extrapolation to a million
accounts. Then it erases a few of the accounts through the erasure service and prints the
time per account.
"""

import argparse
import os
import statistics
import subprocess
import time

PG = "postgres://postgres@127.0.0.1:5432"
DB_NAME = "jobtrax_capacity"


def sizes(connection) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, pg_total_relation_size(relid) FROM pg_stat_user_tables")
        return dict(cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=100)
    parser.add_argument("--erase", type=int, default=5)
    args = parser.parse_args()
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB_NAME],
                   check=True)  # fmt: skip
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB_NAME], check=True)
    os.environ["DATABASE_URL"] = f"{PG}/{DB_NAME}"
    os.environ.pop("REDIS_URL", None)
    from _setup import django_setup

    django_setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from allauth.account.models import EmailAddress

    from accounts.models import User
    from jobs import services as job_services
    from rights.services import account_erase

    def vacuum() -> None:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

    vacuum()
    before = sizes(connection)
    started = time.perf_counter()
    users = []
    for n in range(args.accounts):
        user = User.objects.create_user(
            email=f"seeker{n}@example.com", password=None, adult_confirmed_at=timezone.now()
        )
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
        for j in range(args.jobs):
            data = {
                "title": f"Senior software engineer {j}",
                "company": f"Company {j % 37}",
                "location": "Remote, Europe",
                "notes": "Applied through the company site; follow up in two weeks.",
            }
            job_services.job_create(user=user, data=data, channel="manual")
        users.append(user)
    created = time.perf_counter() - started
    vacuum()
    after = sizes(connection)
    grown = {t: after.get(t, 0) - before.get(t, 0) for t in after}
    grown = {t: b for t, b in grown.items() if b > 0}
    total = sum(grown.values())
    per_account = total / args.accounts
    print(f"{args.accounts} accounts x {args.jobs} tracked jobs, made in {created:.1f} s")
    print(f"{'table':<40}{'bytes/account':>15}{'GB per million':>16}")
    for table, grown_bytes in sorted(grown.items(), key=lambda item: -item[1]):
        each = grown_bytes / args.accounts
        print(f"{table:<40}{each:>15,.0f}{each * 1e6 / 1e9:>16.1f}")
    print(f"{'total':<40}{per_account:>15,.0f}{per_account * 1e6 / 1e9:>16.1f}")

    times = []
    for user in users[: args.erase]:
        start = time.perf_counter()
        account_erase(user_id=user.pk, reason="user_request")
        times.append(time.perf_counter() - start)
    print(
        f"erasure of an account with {args.jobs} jobs: median {statistics.median(times) * 1000:.0f}"
        f" ms, max {max(times) * 1000:.0f} ms over {len(times)} accounts"
    )


if __name__ == "__main__":
    main()
