"""The staff console's own costs, each against a baseline measured in the same run.

Run: .venv/bin/python benchmarks/staff_console.py [rounds] [accounts]

1. The staff middleware (TOTP check, idle timeout) on an admin page, against the same page
   served without it. Goal: at most 1.10.
2. Building the "where users are" dashboard (k-anonymous grouping, country names, chart
   geometry), against its two bare GROUP BY queries over the same accounts. Goal: at most 1.5.
"""

import statistics
import sys
import time

from _setup import django_setup  # noqa: E402

django_setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.client import ClientHandler  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

MIDDLEWARE = "accounts.middleware.StaffSecurityMiddleware"
BATCH = 20


def median_ratio(with_fn, without_fn, rounds: int) -> tuple[float, float, float]:
    for _ in range(3):
        with_fn()
        without_fn()
    with_times, without_times = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        with_fn()
        with_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        without_fn()
        without_times.append(time.perf_counter() - start)
    a, b = statistics.median(with_times), statistics.median(without_times)
    return a, b, a / b


def bench_middleware(rounds: int) -> float:
    from accounts.models import User
    from tests.conftest import make_user, staff_login

    staff = make_user("bench-staff@example.com", is_staff=True, is_superuser=True)
    client = Client()
    staff_login(client, staff)
    handler_with = ClientHandler(enforce_csrf_checks=False)
    handler_with.load_middleware()
    handler_without = ClientHandler(enforce_csrf_checks=False)
    with override_settings(MIDDLEWARE=[m for m in settings.MIDDLEWARE if m != MIDDLEWARE]):
        handler_without.load_middleware()

    def batch(handler):
        def run():
            client.handler = handler
            for _ in range(BATCH):
                assert client.get("/admin/accounts/user/").status_code == 200

        return run

    a, b, ratio = median_ratio(batch(handler_with), batch(handler_without), rounds)
    print(
        f"{'admin user list, staff middleware':<40} with {a / BATCH * 1000:7.3f} ms"
        f"   without {b / BATCH * 1000:7.3f} ms   ratio {ratio:.3f} (goal <= 1.10)"
    )
    assert User.objects.filter(is_staff=True).exists()
    return ratio


def bench_locations(rounds: int, accounts: int) -> float:
    from accounts.dashboards import build_locations
    from accounts.models import User

    places = [("GB", "ENG"), ("SE", "E"), ("US", "WA"), ("JP", "13"), ("FR", "IDF"), ("", "")]
    places += [(code, "") for code in ("IS", "LU", "MT", "LI", "MC")]  # the small ones
    rows = []
    for i in range(accounts):
        country, region = places[i % 6] if i % 50 else places[6 + (i // 50) % 5]
        rows.append(User(email=f"u{i}@example.com", country=country, region=region))
    User.objects.bulk_create(rows, batch_size=2000)

    def dashboard():
        build_locations()

    def baseline():
        accounts = User.objects.filter(is_staff=False, is_active=True)
        list(accounts.values("country").annotate(n=Count("id")))
        list(accounts.exclude(region="").values("country", "region").annotate(n=Count("id")))

    a, b, ratio = median_ratio(dashboard, baseline, rounds)
    label = f"where-users-are dashboard ({accounts} accounts)"
    print(
        f"{label:<40} with {a * 1000:7.3f} ms"
        f"   bare queries {b * 1000:7.3f} ms   ratio {ratio:.3f} (goal <= 1.5)"
    )
    return ratio


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    accounts = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    m = bench_middleware(rounds)
    loc = bench_locations(rounds, accounts)
    met = m <= 1.10 and loc <= 1.5
    print(f"goals: {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
