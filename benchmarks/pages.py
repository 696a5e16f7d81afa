"""Whole pages under load, the way users receive them: JobTrax and a bare Django "hello" app,
each under gunicorn with the same number of workers, on PostgreSQL and Redis, DEBUG off.

Run: .venv/bin/python benchmarks/pages.py [--rounds 3] [--seconds 5] [--connections 8]

The script starts everything itself on loopback:
- a fresh PostgreSQL database (`jobtrax_bench`, dropped and made again) and Redis database 12;
- the bare hello app (no middleware), the same behind Django's default middleware, and JobTrax
  with one extra route, a trivial view behind all of JobTrax's middleware;
- `wrk`, installed from Debian's packages when missing, sends bounded load (N connections,
  S seconds a run) to one URL at a time.
Rounds alternate over every target, so each ratio compares runs made minutes apart at most,
on a shared and noisy machine. Medians of the rounds are printed, with p50 and p99 latency.

Goals (ratios in one run): JobTrax middleware on a trivial view >= 0.7 of bare hello; home page
(visitor) >= 0.4 of bare hello; /privacy/ >= 0.9 of the home page; the login page, and signed
in, /data/, the board and the list (500 jobs each), a job page and an import preview >= 0.5 of
the home page; p99 <= 4 x p50 for every page, at 8 and at 32 connections (`--connections 32`).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
DB_NAME = "jobtrax_bench"
PG = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/12"
WORKERS = 2

HELLO_APP = """
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

DEFAULT_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
settings.configure(
    DEBUG=False,
    SECRET_KEY="benchmark-only",
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes",
                    "django.contrib.sessions", "django.contrib.messages"],
    SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
    MIDDLEWARE=DEFAULT_MIDDLEWARE if os.environ.get("HELLO_MIDDLEWARE") else [],
    DATABASES={},
)


def hello(request):
    return HttpResponse("hello")


urlpatterns = [path("", hello)]
application = get_wsgi_application()
"""

# JobTrax's own WSGI app and URLs, plus one trivial view behind all of its middleware.
BENCH_WSGI = """
from django.conf import settings

from jobtrax.wsgi import application  # noqa: F401

settings.ROOT_URLCONF = "bench_urls"
"""
BENCH_URLS = """
from django.http import HttpResponse
from django.urls import path

from jobtrax.urls import *  # noqa: F403
from jobtrax.urls import urlpatterns as jobtrax_urlpatterns


def trivial(request):
    return HttpResponse("hello")


urlpatterns = [path("bench/trivial", trivial), *jobtrax_urlpatterns]
"""

SETUP_DATA = """
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from allauth.account.models import EmailAddress
from accounts.models import User
from importer import services as importer_services
from jobs import services as job_services

user = User.objects.create_user(email="bench@example.com", password="bench-Pass-w0rd-long",
                                adult_confirmed_at=timezone.now())
EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
job = None
for n in range(500):
    data = {"title": f"Engineer {n}", "company": f"Co {n % 40}", "location": "Remote",
            "notes": f"Spoke to the team about role {n}."}
    job = job_services.job_create(user=user, data=data, channel="manual")
PAGE = (
    '<html><head><title>Data Engineer</title><script type="application/ld+json">'
    '{"@context": "https://schema.org", "@type": "JobPosting", "title": "Data Engineer",'
    ' "hiringOrganization": {"@type": "Organization", "name": "Acme"},'
    ' "description": "<p>Build pipelines.</p>", "datePosted": "2026-11-30"}'
    '</script></head><body><h1>Data Engineer</h1></body></html>'
)
preview = importer_services.preview_from_page(user=user, content=PAGE, url="https://example.com/j/1")
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print("SESSION", session.session_key, 500, job.pk, preview.pk)
"""


@dataclass
class Target:
    name: str
    server: str
    path: str
    signed_in: bool = False


@dataclass
class Result:
    rps: float
    p50: float  # milliseconds
    p99: float


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing: installing Debian's package", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-qq", "wrk"]
    if subprocess.run(install, env=env, capture_output=True).returncode != 0:  # noqa: S603
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=True)  # noqa: S603
        subprocess.run(install, env=env, check=True, capture_output=True)  # noqa: S603
    found = shutil.which("wrk")
    if not found:
        sys.exit("wrk could not be installed")
    return found


def jobtrax_env(workdir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DJANGO_SETTINGS_MODULE="jobtrax.settings",
        PYTHONPATH=f"{workdir}{os.pathsep}{ROOT}",
        SECRET_KEY="benchmark-only-not-secret-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_HTTPS="false",
        STATIC_MANIFEST="false",
        DATABASE_URL=f"{PG}/{DB_NAME}",
        REDIS_URL=REDIS,
        JOBTRAX_VAR_DIR=str(workdir / "var"),
        LOG_LEVEL="WARNING",
    )
    env.pop("DJANGO_DEBUG", None)
    return env


def prepare_database(env: dict[str, str]) -> tuple[str, str, str]:
    """The signed-in session key, a job's id and an import preview's id."""
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB_NAME],
                   check=True)  # fmt: skip
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB_NAME], check=True)
    manage = [PY, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)  # noqa: S603
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    out = subprocess.run([*manage, "shell", "-c", SETUP_DATA], env=env, check=True, cwd=ROOT,
                         capture_output=True, text=True).stdout  # fmt: skip
    match = re.search(r"SESSION (\S+) (\d+) (\d+) (\S+)", out)
    if not match:
        sys.exit(f"could not create the signed-in session:\n{out}")
    print(f"signed-in user with {match.group(2)} tracked jobs", flush=True)
    return match.group(1), match.group(3), match.group(4)


@contextmanager
def gunicorn(name: str, app: str, env: dict[str, str], cwd: Path):
    port = free_port()
    log = open(cwd / f"{name}.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(  # noqa: S603
        [PY, "-m", "gunicorn", app, "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=2)  # noqa: S310 - loopback only
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    sys.exit(f"{name} did not start:\n{(cwd / f'{name}.log').read_text()[-3000:]}")
                time.sleep(0.3)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
        log.close()


def check(base: str, target: Target, cookie: str) -> None:
    request = urllib.request.Request(base + target.path)  # noqa: S310 - loopback only
    if target.signed_in:
        request.add_header("Cookie", cookie)
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
        if response.status != 200 or response.url.rstrip("/") != (base + target.path).rstrip("/"):
            sys.exit(f"{target.name}: {response.status} at {response.url}, not the page itself")


def wrk(binary: str, url: str, *, seconds: int, connections: int, cookie: str | None) -> Result:
    # A slow page's latency is measured, not dropped as a wrk timeout (2 s by default).
    cmd = [binary, "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "30s",
           "--latency", url]  # fmt: skip
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout  # noqa: S603
    if "Non-2xx" in out or "Socket errors" in out:
        sys.exit(f"non-2xx answers from {url}:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return Result(rps=rps, p50=_percentile(out, "50"), p99=_percentile(out, "99"))


def _percentile(out: str, which: str) -> float:
    value, unit = re.search(rf"^\s+{which}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    binary = ensure_wrk()
    workdir = Path(tempfile.mkdtemp(prefix="jobtrax-pages-"))
    (workdir / "hello_app.py").write_text(HELLO_APP)
    (workdir / "bench_wsgi.py").write_text(textwrap.dedent(BENCH_WSGI))
    (workdir / "bench_urls.py").write_text(textwrap.dedent(BENCH_URLS))
    env = jobtrax_env(workdir)
    session, job_id, preview_id = prepare_database(env)
    # A signed-in browser sends its CSRF cookie with every request after its first page.
    cookie = f"sessionid={session}; csrftoken={'b' * 32}"
    hello_env = {k: v for k, v in env.items() if k != "DJANGO_SETTINGS_MODULE"}
    hello_env["PYTHONPATH"] = str(workdir)

    targets = [
        Target("bare hello", "hello", "/"),
        Target("hello + Django's default middleware", "hello_mw", "/"),
        Target("JobTrax middleware, trivial view", "jobtrax", "/bench/trivial"),
        Target("home, visitor", "jobtrax", "/"),
        Target("/privacy/, visitor", "jobtrax", "/privacy/"),
        Target("login page, visitor", "jobtrax", "/accounts/login/"),
        Target("/healthz", "jobtrax", "/healthz"),
        Target("/data/, signed in", "jobtrax", "/data/", signed_in=True),
        Target("job board (500 jobs), signed in", "jobtrax", "/jobs/", True),
        Target("job list (500 jobs), signed in", "jobtrax", "/jobs/list/", True),
        Target("job page, signed in", "jobtrax", f"/jobs/{job_id}/", True),
        Target("import preview, signed in", "jobtrax", f"/jobs/import/{preview_id}/", True),
    ]

    results: dict[str, list[Result]] = {t.name: [] for t in targets}
    with ExitStack() as stack:
        bases = {
            "hello": stack.enter_context(gunicorn("hello", "hello_app", hello_env, workdir)),
            "hello_mw": stack.enter_context(
                gunicorn("hello_mw", "hello_app", {**hello_env, "HELLO_MIDDLEWARE": "1"}, workdir)
            ),
            "jobtrax": stack.enter_context(gunicorn("jobtrax", "bench_wsgi", env, workdir)),
        }
        for target in targets:  # every page answers 200 itself, and warms its worker up
            check(bases[target.server], target, cookie)
            wrk(
                binary,
                bases[target.server] + target.path,
                seconds=1,
                connections=args.connections,
                cookie=cookie if target.signed_in else None,
            )
        for n in range(args.rounds):
            for target in targets:
                result = wrk(binary, bases[target.server] + target.path, seconds=args.seconds,
                             connections=args.connections,
                             cookie=cookie if target.signed_in else None)  # fmt: skip
                results[target.name].append(result)
            print(f"round {n + 1} of {args.rounds} done", flush=True)

    med = {
        name: Result(
            rps=statistics.median(r.rps for r in runs),
            p50=statistics.median(r.p50 for r in runs),
            p99=statistics.median(r.p99 for r in runs),
        )
        for name, runs in results.items()
    }
    hello = med["bare hello"].rps
    home = med["home, visitor"].rps
    print(f"\n{WORKERS} gunicorn workers each, {args.connections} connections, "
          f"{args.rounds} rounds of {args.seconds} s; medians")  # fmt: skip
    print(f"{'what':<38}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'p99/p50':>9}{'/hello':>8}")
    for name, r in med.items():
        print(f"{name:<38}{r.rps:>9.0f}{r.p50:>9.2f}{r.p99:>9.2f}{r.p99 / max(r.p50, 0.001):>9.1f}"
              f"{r.rps / hello:>8.2f}")  # fmt: skip
    goals = [
        (
            "JobTrax middleware / bare hello",
            med["JobTrax middleware, trivial view"].rps / hello,
            0.7,
        ),
        ("home (visitor) / bare hello", home / hello, 0.4),
        ("/privacy/ / home", med["/privacy/, visitor"].rps / home, 0.9),
        ("/data/ (signed in) / home", med["/data/, signed in"].rps / home, 0.5),
        ("login page / home", med["login page, visitor"].rps / home, 0.5),
    ]
    for name in ("job board (500 jobs)", "job list (500 jobs)", "job page", "import preview"):
        goals.append((f"{name} / home", med[f"{name}, signed in"].rps / home, 0.5))
    print()
    for label, ratio, goal in goals:
        verdict = "met" if ratio >= goal else "NOT met"
        print(f"{label:<38}{ratio:>7.2f}   goal >= {goal}   {verdict}")
    worst = max(med.items(), key=lambda item: item[1].p99 / item[1].p50)
    print(
        f"{'worst p99/p50: ' + worst[0]:<38}{worst[1].p99 / worst[1].p50:>7.1f}   goal <= 4   "
        f"{'met' if worst[1].p99 / worst[1].p50 <= 4 else 'NOT met'}"
    )
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
