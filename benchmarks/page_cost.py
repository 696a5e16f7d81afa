"""CPU time per request for each page of benchmarks/pages.py, in one process, with no network:
Django's WSGI handler called in a loop, the way gunicorn's worker calls it. Where the time of
one page goes, without the noise of wrk, sockets and a second worker.

Run: .venv/bin/python benchmarks/page_cost.py [--requests 300] [--rounds 3] [--profile PAGE]

It makes the same database as benchmarks/pages.py (`jobtrax_bench`: 500 jobs, an import
preview, a signed-in session) on PostgreSQL and Redis database 12, then times every page in
turn, round after round, and prints the median microseconds of CPU per request with the ratio
to the trivial view behind all of JobTrax's middleware measured in the same run. With
`--profile PAGE` (a page's short name: trivial, trivial_in (signed in), home, privacy, login,
data, board, list, job, preview) it also prints that page's cProfile, the 30 costliest
functions by their own time and by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import BENCH_URLS, jobtrax_env, prepare_database  # noqa: E402

PAGES = {
    "trivial": ("/bench/trivial", False),
    "trivial_in": ("/bench/trivial", True),
    "home": ("/", False),
    "privacy": ("/privacy/", False),
    "login": ("/accounts/login/", False),
    "data": ("/data/", True),
    "board": ("/jobs/", True),
    "list": ("/jobs/list/", True),
    "job": ("/jobs/{job}/", True),
    "preview": ("/jobs/import/{preview}/", True),
}


def environ(path: str, cookie: str | None) -> dict:
    env = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_ACCEPT": "text/html",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if cookie:
        env["HTTP_COOKIE"] = cookie
    return env


def reuse_database() -> None:
    """A new signed-in session on the database an earlier run made (`--reuse`)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User
    from importer.models import ImportPreview
    from jobs.models import Job

    user = User.objects.get(email="bench@example.com")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    os.environ["BENCH_SESSION"] = session.session_key
    os.environ["BENCH_JOB"] = str(Job.objects.filter(user=user).latest("pk").pk)
    os.environ["BENCH_PREVIEW"] = str(ImportPreview.objects.filter(owner=user).latest("pk").pk)


def run_pages(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler

    settings.ROOT_URLCONF = "bench_urls"
    handler = WSGIHandler()
    if args.reuse:
        reuse_database()
    cookie = f"sessionid={os.environ['BENCH_SESSION']}; csrftoken={'b' * 32}"
    paths = {
        name: (path.format(job=os.environ["BENCH_JOB"], preview=os.environ["BENCH_PREVIEW"]), auth)
        for name, (path, auth) in PAGES.items()
    }

    sizes: dict[str, int] = {}

    def call(name: str) -> None:
        path, auth = paths[name]
        status = []
        body = handler(environ(path, cookie if auth else None), lambda s, h: status.append(s))
        sizes[name] = len(b"".join(body))
        if hasattr(body, "close"):
            body.close()
        if not status[0].startswith("200"):
            sys.exit(f"{name}: {status[0]}")

    if args.pages:
        paths = {n: p for n, p in paths.items() if n in {"trivial", "home", *args.pages}}
        paths = dict(sorted(paths.items(), key=lambda item: list(PAGES).index(item[0])))
    for name in paths:  # warm every page: template caches, memoised tables, the session row
        for _ in range(20):
            call(name)
    times: dict[str, list[float]] = {name: [] for name in paths}
    for _ in range(args.rounds):
        for name in paths:
            start = time.process_time()
            for _ in range(args.requests):
                call(name)
            times[name].append((time.process_time() - start) / args.requests * 1e6)
    base = statistics.median(times["trivial"])
    home = statistics.median(times["home"])
    print(f"{'page':<10}{'µs CPU/request':>16}{'÷ trivial':>11}{'home ÷ page':>12}{'bytes':>9}")
    for name, runs in times.items():
        cost = statistics.median(runs)
        print(f"{name:<10}{cost:>16.0f}{cost / base:>11.2f}{home / cost:>12.2f}{sizes[name]:>9}")
    if args.trace:
        trace_round_trips(call, paths)
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            call(args.profile)
        profile.disable()
        if os.environ.get("PROFILE_DUMP"):
            profile.dump_stats(os.environ["PROFILE_DUMP"])
        lines = int(os.environ.get("PROFILE_LINES", "30"))  # and PROFILE_DUMP=FILE keeps it all
        for order in ("tottime", "cumulative"):
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(order).print_stats(lines)
            print(out.getvalue())
        if args.callees:
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_callees(args.callees)
            print(out.getvalue())
        if args.callers:
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("tottime").print_callers(args.callers)
            print(out.getvalue())


def trace_round_trips(call, paths: dict) -> None:
    """Print each page's database queries and Redis commands on one request, in order."""
    from django.db import connection
    from redis.connection import Connection

    seen: list[str] = []

    def on_query(execute, sql, params, many, context):
        seen.append("sql   " + " ".join(sql.split())[:110])
        return execute(sql, params, many, context)

    original = Connection.send_command

    def on_command(self, *args, **kwargs):
        seen.append("redis " + " ".join(str(a) for a in args)[:110])
        return original(self, *args, **kwargs)

    Connection.send_command = on_command
    try:
        with connection.execute_wrapper(on_query):
            for name in paths:
                seen.clear()
                call(name)
                print(f"--- {name}: {len(seen)} round trips")
                for line in seen:
                    print("   ", line)
    finally:
        Connection.send_command = original


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", choices=sorted(PAGES))
    parser.add_argument("--callees", help="with --profile: what these functions call")
    parser.add_argument("--callers", help="with --profile: what calls these functions")
    parser.add_argument(
        "--trace", action="store_true", help="print each page's queries and Redis commands"
    )
    parser.add_argument("--pages", nargs="+", choices=sorted(PAGES), help="only these pages")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database an earlier run made"
    )
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        run_pages(args)
        return
    workdir = Path(tempfile.mkdtemp(prefix="jobtrax-page-cost-"))
    (workdir / "bench_urls.py").write_text(textwrap.dedent(BENCH_URLS))
    env = jobtrax_env(workdir)
    command = [sys.executable, __file__, "--inner", "--requests", str(args.requests),
               "--rounds", str(args.rounds)]  # fmt: skip
    if args.reuse:
        command.append("--reuse")
    else:
        session, job_id, preview_id = prepare_database(env)
        env.update(BENCH_SESSION=session, BENCH_JOB=job_id, BENCH_PREVIEW=preview_id)
    if args.pages:
        command += ["--pages", *args.pages]
    if args.profile:
        command += ["--profile", args.profile]
    if args.trace:
        command.append("--trace")
    if args.callees:
        command += ["--callees", args.callees]
    if args.callers:
        command += ["--callers", args.callers]
    subprocess.run(command, env=env, check=True)  # noqa: S603


if __name__ == "__main__":
    main()
