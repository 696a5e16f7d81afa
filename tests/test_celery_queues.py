"""Work that cannot starve other work: every task names one of the declared queues, and a
message sent to the real broker lands in that queue's list."""

import inspect
from urllib.parse import urlparse, urlunparse

import pytest

from jobtrax.celery import QUEUES, app

# The queue of each task this app had when the queues were introduced; tasks added later are
# held to the rule in test_every_task_names_one_of_the_declared_queues.
EXPECTED = {
    "jobtrax.tasks.heartbeat": "default",
    "logs_retention.tasks.retention_run_policy": "retention",
    "rights.tasks.account_erase": "retention",
    "rights.tasks.account_erase_due": "retention",
    "rights.tasks.export_build": "exports",
    "privacy.tasks.notice_email_batch": "email",
    "privacy.tasks.notice_email_resume": "email",
    "consent.tasks.campaign_send_batch": "email",
}


def our_tasks() -> dict:
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}


def test_the_five_queues_are_declared_and_default_is_the_default():
    assert set(QUEUES) == {"default", "imports", "exports", "retention", "email"}
    assert {queue.name for queue in app.conf.task_queues} == set(QUEUES)
    assert app.conf.task_default_queue == "default"


def test_every_task_names_one_of_the_declared_queues():
    tasks = our_tasks()

    assert set(EXPECTED) <= set(tasks)
    undeclared = {name: task.queue for name, task in tasks.items() if task.queue not in QUEUES}
    assert undeclared == {}


@pytest.mark.parametrize(("name", "queue"), sorted(EXPECTED.items()))
def test_each_task_declares_its_queue(name, queue):
    assert our_tasks()[name].queue == queue


def test_every_beat_entry_runs_on_its_tasks_queue():
    tasks = our_tasks()
    for entry in app.conf.beat_schedule.values():
        task = tasks.get(entry["task"])
        if task is None:  # Celery's own cleanup runs on the default queue
            assert entry["task"].startswith("celery.")
            continue
        if entry["task"] == "logs_retention.tasks.retention_run_policy":
            assert task.queue == "retention"
        assert task.queue in QUEUES


@pytest.fixture
def isolated_broker(redis_url):
    """A Redis database of its own, emptied, so the lists hold only what this test sends."""
    import redis

    parsed = urlparse(redis_url)
    url = urlunparse(parsed._replace(path="/15"))
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url, client
    client.flushdb()
    client.close()


@pytest.fixture
def not_eager():
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


def test_each_task_lands_on_its_queue_in_the_broker(isolated_broker, not_eager):
    url, client = isolated_broker
    tasks = our_tasks()
    sent: dict[str, int] = {}
    with app.connection_for_write(url) as connection:
        for name in sorted(tasks):
            task = tasks[name]
            required = [
                p for p in inspect.signature(task.run).parameters.values() if p.default is p.empty
            ]
            task.apply_async(args=[0] * len(required), connection=connection)
            sent[tasks[name].queue] = sent.get(tasks[name].queue, 0) + 1

    landed = {queue: client.llen(queue) for queue in QUEUES if client.llen(queue)}
    assert landed == sent
    assert landed["retention"] >= 3
    assert client.llen("celery") == 0  # Celery's own default name is never used
