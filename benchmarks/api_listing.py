"""API listing against the board: p50 time to list 500 jobs over `/api/v1/jobs` (paged by
cursor, 200 a page, so three requests) against one render of the board of the same 500 jobs.

Run: .venv/bin/python benchmarks/api_listing.py [rounds]

Both go through the whole middleware stack with Django's test client, for the same person, in
the same process and run, alternating which goes first; the API sends a bearer token (so each
request also pays the token lookup and the rate-limit count on the cache). Times are wall-clock
medians of the rounds; the process CPU time is printed beside them.
"""

import statistics
import sys
import time

from _setup import django_setup  # noqa: E402

django_setup(API_REQUESTS_PER_MINUTE="100000000")

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from tracker import fill  # noqa: E402

COUNT = 500


def list_all(client: Client, auth: dict) -> int:
    seen, cursor = 0, ""
    while True:
        url = "/api/v1/jobs?limit=200" + (f"&cursor={cursor}" if cursor else "")
        response = client.get(url, **auth)
        assert response.status_code == 200, response.content
        body = response.json()
        seen += len(body["items"])
        cursor = body["next_cursor"]
        if not cursor:
            return seen


def board(client: Client, auth: dict) -> int:
    response = client.get("/jobs/")
    assert response.status_code == 200
    return COUNT


def timed(func, client, auth) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    assert func(client, auth) == COUNT
    return time.perf_counter() - wall, time.process_time() - cpu


def run(rounds: int) -> None:
    from api.services import token_create
    from tests.conftest import make_user

    user = make_user("bench-api@example.com")
    fill(user, COUNT)
    secret = token_create(user=user, name="bench", scopes=["jobs:read"])[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    client = Client()
    client.force_login(user)
    for _ in range(3):
        timed(list_all, client, auth)
        timed(board, client, auth)
    results = {"api": [], "board": []}
    for i in range(rounds):
        order = ("api", "board") if i % 2 else ("board", "api")
        for name in order:
            results[name].append(timed(list_all if name == "api" else board, client, auth))
    for name, label in (("api", "API, 500 jobs in 3 pages"), ("board", "board page, 500 jobs")):
        wall = statistics.median(w for w, _ in results[name]) * 1000
        cpu = statistics.median(c for _, c in results[name]) * 1000
        print(f"{label:<26} p50 {wall:7.2f} ms wall  {cpu:7.2f} ms CPU")
    api = statistics.median(w for w, _ in results["api"])
    page = statistics.median(w for w, _ in results["board"])
    print(f"API listing / board page, p50: {api / page:.2f}")


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    setup_test_environment()
    original = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0)
    try:
        run(rounds)
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)


if __name__ == "__main__":
    main()
