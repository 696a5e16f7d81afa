"""JobTrax's Celery app plus one import fetch on the `imports` queue (tests only).

The task fetches a page through the importer's own fetch service, as an import does, so a
worker pool started with `queues=("imports",)` and this app is busy exactly the way a slow
job site keeps the production imports pool busy.
"""

from importer.fetch import FetchError, fetch
from jobtrax.celery import app

FETCH_TASK = "tests.import_pool.fetch_page"


@app.task(name=FETCH_TASK, queue="imports", ignore_result=True)
def fetch_page(url: str) -> int:
    try:
        return len(fetch(url).content)
    except FetchError:
        return 0


__all__ = ["app", "fetch_page"]
