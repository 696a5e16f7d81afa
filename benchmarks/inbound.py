"""Forwarded emails: the time to process one message against parsing it with `email` alone.

Run: .venv/bin/python benchmarks/inbound.py [rounds]

For every fixture under tests/data/inbound/ that is delivered (application updates and job
alerts), times:
- baseline: `email.message_from_bytes(raw, policy=policy.default)` and reading its text body
  (`get_body().get_content()`), what any consumer of the message must do at least;
- processing: `inbox.services.inbound_receive(raw=...)` as the pipe command runs it: parsing,
  the sender check, the daily limit, finding the forwarded original, classifying, matching the
  job among twelve tracked ones and writing the proposal (SQLite in memory; set DATABASE_URL
  for PostgreSQL).
Prints p50 and p90 of each (milliseconds, wall time) and the ratio of the p50s.
"""

import email
import json
import statistics
import sys
import time
from email import policy
from pathlib import Path

from _setup import django_setup  # noqa: E402

django_setup(INBOUND_EMAIL_DOMAIN="in.jobtrax.example", INBOUND_EMAIL_DAILY_LIMIT="1000000")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "inbound"


def baseline(raw: bytes) -> None:
    message = email.message_from_bytes(raw, policy=policy.default)
    body = message.get_body(("plain", "html"))
    if body is not None:
        body.get_content()


def main(rounds: int) -> None:
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        run(rounds)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        call_command("check", verbosity=0)


def run(rounds: int) -> None:
    from inbox.models import ForwardingAddress, Proposal
    from inbox.services import inbound_receive
    from jobs.services import job_create
    from tests.conftest import make_user

    expected = json.loads((DATA / "expected.json").read_text())
    user = make_user(expected["owner"])
    ForwardingAddress.objects.create(user=user, local_part=expected["forwarding"].split("@")[0])
    for company, title, board_id in expected["jobs"]:
        job_create(user=user, data={"title": title, "company": company}, board_id=board_id)
    messages = [(DATA / f"{name}.eml").read_bytes() for name in expected["messages"]]
    base, full = [], []
    for _ in range(rounds):
        for raw in messages:
            start = time.perf_counter()
            baseline(raw)
            base.append(time.perf_counter() - start)
            start = time.perf_counter()
            inbound_receive(raw=raw)
            full.append(time.perf_counter() - start)
        Proposal.objects.all().delete()

    def pct(values: list[float], q: int) -> float:
        return statistics.quantiles(values, n=100)[q - 1] * 1000

    print(f"{len(messages)} messages x {rounds} rounds ({connection.vendor})")
    print(f"  email package alone: p50 {pct(base, 50):7.2f} ms   p90 {pct(base, 90):7.2f} ms")
    print(f"  full processing:     p50 {pct(full, 50):7.2f} ms   p90 {pct(full, 90):7.2f} ms")
    print(f"  ratio of p50s (processing / parsing): {pct(full, 50) / pct(base, 50):.1f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
