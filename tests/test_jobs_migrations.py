"""The tracker's migrations keep every job on upgrade, and say the same thing after it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("jobs", "0001_tracker")]
AFTER = [("jobs", "0002_channel_and_board")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def at_0001(transactional_db):
    apps = _migrate(BEFORE)
    yield apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_source_splits_into_channel_and_board(at_0001, user):
    Job = at_0001.get_model("jobs", "Job")
    for source, board_id in [
        ("manual", ""),
        ("link", ""),
        ("paste", ""),
        ("bookmarklet", ""),
        ("csv", "c-1"),
        ("greenhouse", "4012345"),
        ("lever", "abc-1"),
        ("workday", "R-1"),
    ]:
        Job.objects.create(user_id=user.pk, title=source, source=source, board_id=board_id)

    Job = _migrate(AFTER).get_model("jobs", "Job")

    found = {
        job.title: (job.channel, job.board, job.board_id)
        for job in Job.objects.filter(user_id=user.pk)
    }
    assert found == {
        "manual": ("manual", "", ""),
        "link": ("link", "", ""),
        "paste": ("paste", "", ""),
        "bookmarklet": ("bookmarklet", "", ""),
        "csv": ("csv", "", "c-1"),
        "greenhouse": ("link", "greenhouse", "4012345"),
        "lever": ("link", "lever", "abc-1"),
        "workday": ("link", "workday", "R-1"),
    }


def test_going_back_joins_them_again(at_0001, user):
    Job = at_0001.get_model("jobs", "Job")
    Job.objects.create(user_id=user.pk, title="a", source="greenhouse", board_id="1")
    Job.objects.create(user_id=user.pk, title="b", source="paste")
    _migrate(AFTER)

    Job = _migrate(BEFORE).get_model("jobs", "Job")

    assert dict(Job.objects.values_list("title", "source")) == {"a": "greenhouse", "b": "paste"}
