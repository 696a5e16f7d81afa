"""docs/PROMISES.md says what the code does: its figures come from the code, and every test it
names exists."""

import re
from pathlib import Path

from jobtrax import datamap
from jobtrax.celery import app as celery_app

PROJECT = Path(__file__).resolve().parents[1]
PROMISES = (PROJECT / "docs" / "PROMISES.md").read_text()


def policy(name: str) -> datamap.Policy:
    return next(p for p in datamap.policies() if p.name == name)


def test_the_retention_figures_of_this_file_are_the_codes():
    sessions = policy("auth_leftovers").default_days
    results_hours = celery_app.conf.result_expires // 3600
    schedule = celery_app.conf.beat_schedule

    assert f"email confirmations and user-session records {sessions} days" in PROMISES
    assert f"Celery task results {results_hours} hours" in PROMISES
    assert "celery.backend_cleanup" in schedule
    assert "expired sessions at the first daily run" in PROMISES
    assert "user-session records, Celery results, admin history 12 months" not in PROMISES


def test_every_test_it_names_exists():
    tests = {path.name: path.read_text() for path in (PROJECT / "tests").glob("*.py")}
    every = "\n".join(tests.values())
    missing = []
    for path, name in re.findall(r"`tests/(\w+\.py)(?:::(\w+))?`", PROMISES):
        if path not in tests or (name and f"def {name}(" not in tests[path]):
            missing.append(f"{path}::{name}")
    for name in re.findall(r"`::(\w+)`", PROMISES):
        if f"def {name}(" not in every:
            missing.append(f"::{name}")

    assert missing == []


def test_objection_has_its_row():
    assert "| 9, 3 | Objection to processing based on legitimate interests" in PROMISES
    assert "`tests/test_rights_objection.py`" in PROMISES
