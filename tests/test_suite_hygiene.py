"""The suite runs in parallel (pytest -n auto): every process must collect the same test ids,
and no test waits on the wall clock."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
# Calls whose value differs from one process (or one second) to the next: a signed value holds
# the time it was signed.
VOLATILE_MODULES = {"secrets", "uuid", "random"}
VOLATILE_CALLS = {"signing.dumps", "time.time", "timezone.now", "datetime.now", "date.today",
                  "os.urandom", "os.getpid"}  # fmt: skip
# Helpers that poll a real server or worker for a bounded time, with a delay a test chooses.
POLLING_HELPERS = {"workers.py", "loopback_site.py"}


def _sources():
    for path in sorted(TESTS.glob("*.py")):
        yield path, ast.parse(path.read_text(), filename=str(path))


def _is_call_to(node: ast.AST, module: str, name: str) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == name
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == module
    )


def _volatile_calls(node: ast.AST) -> list[str]:
    calls = [
        f"{sub.func.value.id}.{sub.func.attr}"
        for sub in ast.walk(node)
        if isinstance(sub, ast.Call)
        and isinstance(sub.func, ast.Attribute)
        and isinstance(sub.func.value, ast.Name)
    ]
    return [c for c in calls if c in VOLATILE_CALLS or c.split(".")[0] in VOLATILE_MODULES]


def test_parametrized_values_that_change_between_runs_have_fixed_ids():
    offenders = []
    for path, tree in _sources():
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "parametrize"
            ):
                continue
            if any(keyword.arg == "ids" for keyword in node.keywords):
                continue
            calls = [c for arg in node.args[1:] for c in _volatile_calls(arg)]
            if calls:
                offenders.append(f"{path.name}:{node.lineno} ({', '.join(sorted(set(calls)))})")

    assert offenders == [], "give these parametrize calls ids=: " + "; ".join(offenders)


def test_no_test_sleeps_on_the_wall_clock():
    offenders = []
    for path, tree in _sources():
        if path.name in POLLING_HELPERS:
            continue
        for node in ast.walk(tree):
            if not _is_call_to(node, "time", "sleep"):
                continue
            delay = node.args[0] if node.args else None
            short = isinstance(delay, ast.Constant) and isinstance(delay.value, int | float)
            if not short or delay.value >= 1:
                offenders.append(f"{path.name}:{node.lineno}")

    assert offenders == [], "freeze or inject the time instead of sleeping: " + ", ".join(offenders)
