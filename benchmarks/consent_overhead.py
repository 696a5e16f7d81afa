"""Request time with the consent middleware and context processor, against without them.

Run: .venv/bin/python benchmarks/consent_overhead.py [rounds]

The page is the home page, whose layout reads consent (the banner and the analytics tag).
Without consent, a stand-in processor hands the templates the same state as a constant, so
both sides render the same HTML and the ratio is the cost of working the state out. Both
request handlers and both processor lists are built once; each scenario alternates batches
with and without in short back-to-back batches, and reports the median of the per-round
ratios. Times are the CPU time of this process, so other work on the machine disturbs them
less. Goal: at most 1.05.
"""

import statistics
import sys
import time

from _setup import django_setup  # noqa: E402

django_setup(CONSENT_ANALYTICS_SCRIPT_URL="https://stats.example.org/tag.js")

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.client import ClientHandler  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from consent.context_processors import consent as consent_processor  # noqa: E402

MIDDLEWARE = "consent.middleware.ConsentMiddleware"
BATCH = 10
_constant: dict = {}


def constant_consent(request) -> dict:
    return _constant


class Setup:
    """The two sides: a middleware chain and a list of context processors each."""

    def __init__(self) -> None:
        self.engine = engines["django"].engine
        self.processors_with = tuple(self.engine.template_context_processors)
        self.processors_without = tuple(
            constant_consent if p is consent_processor else p for p in self.processors_with
        )
        assert self.processors_with != self.processors_without
        self.handler_with = ClientHandler(enforce_csrf_checks=False)
        self.handler_with.load_middleware()
        self.handler_without = ClientHandler(enforce_csrf_checks=False)
        with override_settings(MIDDLEWARE=[m for m in settings.MIDDLEWARE if m != MIDDLEWARE]):
            self.handler_without.load_middleware()

    def use(self, client: Client, *, with_consent: bool) -> None:
        client.handler = self.handler_with if with_consent else self.handler_without
        processors = self.processors_with if with_consent else self.processors_without
        self.engine.__dict__["template_context_processors"] = processors


def time_batch(client: Client) -> float:
    start = time.process_time()
    for _ in range(BATCH):
        response = client.get("/")
        assert response.status_code == 200, response.status_code
    return (time.process_time() - start) / BATCH


def measure(setup: Setup, name: str, client: Client, rounds: int) -> float:
    from consent.analytics import analytics_config

    setup.use(client, with_consent=True)
    state = client.get("/").wsgi_request._consent_state
    _constant.update(consent=state, consent_analytics=analytics_config())
    for _ in range(3):  # warm up both sides
        for side in (True, False):
            setup.use(client, with_consent=side)
            time_batch(client)
    with_times, without_times = [], []
    for i in range(rounds):
        for side in (True, False) if i % 2 else (False, True):  # neither side always first
            setup.use(client, with_consent=side)
            (with_times if side else without_times).append(time_batch(client))
    # Each round's two batches ran back to back under the same load: compare them pairwise,
    # then take the median over rounds, which a burst of other work on the machine cannot move.
    ratio = statistics.median(w / wo for w, wo in zip(with_times, without_times, strict=True))
    print(
        f"{name:<31} with {statistics.median(with_times) * 1000:6.3f} ms"
        f"  without {statistics.median(without_times) * 1000:6.3f} ms  ratio {ratio:.3f}"
    )
    return ratio


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    from consent import services
    from consent.models import ConsentRecord
    from tests.conftest import make_user

    setup = Setup()
    ratios = [measure(setup, "visitor, no choice yet", Client(), rounds)]

    decided = Client()
    setup.use(decided, with_consent=True)
    decided.post("/privacy/choices/decide/", {"action": "reject-all"})
    ratios.append(measure(setup, "visitor who rejected (cookie)", decided, rounds))

    user = make_user("bench@example.com")
    for _ in range(20):  # some history, so the latest-record query is realistic
        services.consent_record(method="custom", choices={"analytics": False}, user=user)
    signed_in = Client()
    signed_in.force_login(user)
    ratios.append(measure(setup, "signed-in user (cached record)", signed_in, rounds))

    print(f"records: {ConsentRecord.objects.count()}, requests per sample: {BATCH}")
    worst = max(ratios)
    print(f"worst ratio {worst:.3f} (goal <= 1.05): {'met' if worst <= 1.05 else 'NOT met'}")


if __name__ == "__main__":
    main()
