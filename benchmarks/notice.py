"""The privacy notice: what the change banner costs each page view, and what caching the
rendered notice saves.

Run: .venv/bin/python benchmarks/notice.py [rounds]

1. Banner: the home page for a signed-in user, against the same page whose banner check is a
   stand-in returning the answer as a constant (so both sides render the same HTML). Measured
   for a user who has not acknowledged and one who has; in both the answer comes from the
   cache after the first view (one indexed query then). Goal: at most 1.05. The check is
   also timed on its own, as a share of the page, which a busy machine disturbs less.
2. Rendering: /privacy/ with the rendered HTML cached, against rendering the Markdown and
   sanitising it on every request. Lower is better.
Batches alternate sides; the fastest batch of each side is compared (medians shown too).
"""

import statistics
import sys
import time

from _setup import django_setup  # noqa: E402

django_setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from privacy import rendering, services  # noqa: E402
from privacy.templatetags import privacy_notice  # noqa: E402

BATCH = 40


def time_batch(client: Client, url: str) -> float:
    start = time.perf_counter()
    for _ in range(BATCH):
        response = client.get(url)
        assert response.status_code == 200, response.status_code
    return (time.perf_counter() - start) / BATCH


def time_calls(call, count: int = 2000) -> float:
    start = time.perf_counter()
    for _ in range(count):
        call()
    return (time.perf_counter() - start) / count


def compare(name: str, client: Client, url: str, use, rounds: int, goal: float | None) -> float:
    for _ in range(3):
        for side in (True, False):
            use(side)
            time_batch(client, url)
    times: dict[bool, list[float]] = {True: [], False: []}
    for i in range(rounds):
        for side in (True, False) if i % 2 else (False, True):
            use(side)
            times[side].append(time_batch(client, url))
    use(True)
    best = min(times[True]) / min(times[False])
    median = statistics.median(times[True]) / statistics.median(times[False])
    verdict = "" if goal is None else f"  goal <= {goal}: {'met' if best <= goal else 'NOT met'}"
    print(
        f"{name:<42} {min(times[True]) * 1000:7.3f} ms vs {min(times[False]) * 1000:7.3f} ms"
        f"  ratio {best:.3f} (medians {median:.3f}){verdict}"
    )
    return best


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    from privacy.models import NoticeAcknowledgement, NoticeVersion
    from tests.conftest import make_user

    user = make_user("bench@example.com")
    for index in range(200):  # other users' acknowledgements, so the index matters
        other = make_user(f"other{index}@example.com")
        NoticeAcknowledgement.objects.create(user=other, version_id=1)
    body = NoticeVersion.objects.get(number="1.0").body + "\n\nA change."
    draft = services.notice_draft_save(
        version=NoticeVersion(number="2.0", body=body, change_summary="A change.", material=True)
    )
    services.notice_publish(version=draft)  # outside a transaction: the mailing runs inline
    cache.clear()

    real_check = privacy_notice.notice_banner_for
    client = Client()
    client.force_login(user)
    client.get("/")
    answer = real_check(request=client.get("/").wsgi_request)
    assert answer is not None

    def banner(real: bool) -> None:
        privacy_notice.notice_banner_for = real_check if real else (lambda request: answer)

    request = client.get("/").wsgi_request
    per_call = min(time_calls(lambda: real_check(request=request)) for _ in range(rounds))
    page = min(time_batch(client, "/") for _ in range(rounds))
    print(
        f"banner check alone (cached answer): {per_call * 1e6:.1f} us per page view,"
        f" {per_call / page:.4f} of the page's {page * 1000:.3f} ms"
    )
    ratios = [compare("banner check, not acknowledged", client, "/", banner, rounds, 1.05)]
    client.post("/privacy/acknowledge/", {"version": "2.0"})
    answer = None
    ratios.append(compare("banner check, acknowledged", client, "/", banner, rounds, 1.05))
    banner(True)

    real_render, real_memoised = services.render_body, services.memoised

    def cached(on: bool) -> None:
        # Off: no per-process memo and the Markdown rendered on every view.
        services.render_body = (
            real_render
            if on
            else (lambda body: rendering.render_markdown(rendering.substitute(body)))
        )
        services.memoised = real_memoised if on else (lambda key, compute, **kw: compute())

    compare("/privacy/ cached vs rendered each time", Client(), "/privacy/", cached, rounds, None)
    cached(True)
    print(f"requests per sample: {BATCH}; worst banner ratio {max(ratios):.3f}")


if __name__ == "__main__":
    main()
