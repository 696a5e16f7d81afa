"""How much of a sign-in is the password hash? Prints medians and their ratio.

Run: .venv/bin/python benchmarks/login.py [--rounds N]

It measures, in one process and one run:
  1. a raw Argon2id verify with the parameters of accounts.hashers (the baseline);
  2. a full POST to allauth's login view through Django's test client, on a fresh SQLite file,
     with the GeoIP lookup and every middleware in place.
The goal is a ratio of at most 1.3: everything but the hash costs under 30%.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
PASSWORD = "a-Benchmark-passphrase-of-decent-length-42"
EMAIL = "bench@example.com"
GOAL = 1.3


def configure(workdir: Path) -> None:
    sys.path.insert(0, str(PROJECT))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "jobtrax.settings",
            "SECRET_KEY": "benchmark-only-" + "x" * 40,
            "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
            "JOBTRAX_VAR_DIR": str(workdir / "var"),
            "ALLOWED_HOSTS": "testserver",
            "SECURE_HTTPS": "false",
            "STATIC_MANIFEST": "false",
            "LOG_LEVEL": "WARNING",
        }
    )
    for name in ("DJANGO_DEBUG", "REDIS_URL", "SENTRY_DSN", "EMAIL_HOST"):
        os.environ.pop(name, None)
    try:
        from tests.geoip_fixture import build_city_db
    except ImportError:  # the dev extra is not installed: measure without a GeoIP lookup
        print("note: mmdb-writer missing, measuring without a GeoIP database")
    else:
        os.environ["GEOIP_COUNTRY_DB"] = str(build_city_db(workdir / "City.mmdb"))

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def make_raw_verify(encoded: str):
    import argon2

    from accounts.hashers import JobtraxArgon2PasswordHasher

    hasher = JobtraxArgon2PasswordHasher()
    raw = argon2.PasswordHasher(
        time_cost=hasher.time_cost,
        memory_cost=hasher.memory_cost,
        parallelism=hasher.parallelism,
        type=argon2.Type.ID,
    )
    stored = encoded.removeprefix("argon2")  # Django prefixes the algorithm name

    def verify() -> float:
        start = time.perf_counter()
        raw.verify(stored, PASSWORD)
        return time.perf_counter() - start

    return verify


def make_login():
    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.models import Session
    from django.core.cache import cache
    from django.test import Client

    def login() -> float:
        # Outside the timing: start each sign-in like a user with no other open sessions, and
        # with fresh rate-limit counters (a benchmark is not an attack).
        Session.objects.all().delete()
        UserSession.objects.all().delete()
        cache.clear()
        client = Client()
        start = time.perf_counter()
        response = client.post(
            "/accounts/login/",
            {"login": EMAIL, "password": PASSWORD},
            REMOTE_ADDR="81.2.69.142",
        )
        elapsed = time.perf_counter() - start
        if response.status_code != 302 or response["Location"] != "/profile/":
            raise SystemExit(f"login failed: {response.status_code}")
        return elapsed

    return login


def measure(rounds: int, verify, login) -> tuple[list[float], list[float]]:
    """Alternate the two, so that both see the same machine load."""
    verify(), login(), verify(), login()  # warm up: allocator, caches, first queries
    verifies, logins = [], []
    for _ in range(rounds):
        verifies.append(verify())
        logins.append(login())
    return verifies, logins


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=25)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="jobtrax-bench-") as tmp:
        configure(Path(tmp))
        from allauth.account.models import EmailAddress
        from django.utils import timezone

        from accounts.hashers import JobtraxArgon2PasswordHasher
        from accounts.models import User

        user = User.objects.create_user(
            email=EMAIL, password=PASSWORD, adult_confirmed_at=timezone.now()
        )
        EmailAddress.objects.create(user=user, email=EMAIL, primary=True, verified=True)
        hasher = JobtraxArgon2PasswordHasher()

        verifies, logins = measure(args.rounds, make_raw_verify(user.password), make_login())
        verify, login = median_ms(verifies), median_ms(logins)
        ratio = login / verify

    print(
        f"Argon2id m={hasher.memory_cost // 1024} MiB, t={hasher.time_cost}, "
        f"p={hasher.parallelism}; {args.rounds} rounds each, medians"
    )
    print(f"raw verify      {verify:8.1f} ms  (baseline)")
    print(f"login request   {login:8.1f} ms")
    print(
        f"ratio           {ratio:8.2f}     (goal <= {GOAL}: {'met' if ratio <= GOAL else 'MISSED'})"
    )
    print(f"non-hash share  {100 * (login - verify) / login:7.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())
