"""Board throughput: the board of a person tracking 500 active jobs, against the home page.

Run: .venv/bin/python benchmarks/tracker.py [rounds]

Both pages go through the whole middleware stack with Django's test client, signed in as the
same person, in the same process and the same run. Each round times a short batch of each
page back to back (alternating which goes first); the reported ratio is the median over rounds
of board throughput / home-page throughput, so load from elsewhere on the machine moves both
sides alike. Times are this process's CPU time. Goal: at least 0.25. The same board of 10
jobs is shown for scale.
"""

import statistics
import sys
import time

from _setup import django_setup  # noqa: E402

django_setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

BATCH = 5
GOAL = 0.25


def fill(user, count: int) -> None:
    from jobs.models import ACTIVE_STAGES, Job, StageChange

    now = timezone.now()
    today = timezone.localdate()
    jobs = Job.objects.bulk_create(
        Job(
            user=user,
            title=f"Senior backend engineer {i}",
            company=f"Company {i % 41}",
            location="Berlin, Germany",
            workplace="hybrid",
            salary_min=60000 + i,
            salary_max=80000 + i,
            salary_currency="EUR",
            salary_interval="year",
            stage=ACTIVE_STAGES[i % 4],
            follow_up_on=today if i % 9 == 0 else None,
            valid_through=today if i % 13 == 0 else None,
            created_at=now,
            updated_at=now,
            stage_changed_at=now,
        )
        for i in range(count)
    )
    StageChange.objects.bulk_create(
        StageChange(job=job, user=user, from_stage="", to_stage="saved", changed_at=now)
        for job in jobs
    )
    StageChange.objects.bulk_create(
        StageChange(job=job, user=user, from_stage="saved", to_stage=job.stage, changed_at=now)
        for job in jobs
        if job.stage != "saved"
    )


def time_batch(client: Client, url: str) -> float:
    start = time.process_time()
    for _ in range(BATCH):
        response = client.get(url)
        assert response.status_code == 200, response.status_code
    return (time.process_time() - start) / BATCH


def measure(client: Client, rounds: int) -> tuple[float, float, float]:
    for _ in range(3):
        time_batch(client, "/")
        time_batch(client, "/jobs/")
    home, board = [], []
    for i in range(rounds):
        order = ("/", "/jobs/") if i % 2 else ("/jobs/", "/")
        for url in order:
            (home if url == "/" else board).append(time_batch(client, url))
    ratio = statistics.median(h / b for h, b in zip(home, board, strict=True))
    return statistics.median(home), statistics.median(board), ratio


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    setup_test_environment()
    original = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0)
    try:
        run(rounds)
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)


def run(rounds: int) -> None:
    from tests.conftest import make_user

    results = {}
    for count in (10, 500):
        user = make_user(f"bench{count}@example.com")
        fill(user, count)
        client = Client()
        client.force_login(user)
        body = client.get("/jobs/").content.decode()
        assert body.count('class="job-card"') == count, "every card is on the board"
        home, board, ratio = measure(client, rounds)
        results[count] = ratio
        print(
            f"{count:>3} active jobs  home {home * 1000:6.2f} ms  board {board * 1000:6.2f} ms"
            f"  board/home throughput {ratio:.3f}"
        )
    ratio = results[500]
    print(f"board of 500 jobs at {ratio:.2f} of the home page's throughput "
          f"(goal >= {GOAL}): {'met' if ratio >= GOAL else 'NOT met'}")  # fmt: skip


if __name__ == "__main__":
    main()
