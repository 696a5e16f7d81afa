"""Hostile input: the worst pathological input's time per MB, against ordinary text.

Run: .venv/bin/python benchmarks/pathological.py [megabytes]

Each parser that sees what a user sends (the description sanitiser, the importer's page
extraction and JSON-LD finder, the salary reader, the scrubbers) is fed each pathological input
of tests/test_hostile_input.py (unclosed comments and tags, deep nesting, 10^5 repeated
openers, `<script ` without `>`...) at the given size (default 0.25 MB), and the same size of
ordinary prose as the baseline, in the same run. It prints, per parser, the worst input's
seconds per MB and its ratio to the baseline. Goal: seconds per MB stay under one, whatever the
size (linear time); a backtracking regular expression shows as minutes.
"""

import sys
import time

from _setup import django_setup  # noqa: E402

django_setup()

from tests.test_hostile_input import PARSERS, PATHOLOGICAL, _input  # noqa: E402

PROSE = "We are hiring a data engineer to build pipelines in Leeds. Salary 50,000 GBP.\n\n"


def seconds(parse, text: str) -> float:
    best = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        parse(text)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    megabytes = float(sys.argv[1]) if len(sys.argv) > 1 else 0.25
    size = int(megabytes * 1_000_000)
    baseline_text = PROSE * (size // len(PROSE))
    print(f"{'parser':28} {'worst input':28} {'s/MB':>8} {'baseline s/MB':>14} {'ratio':>7}")
    for name, parse in sorted(PARSERS.items()):
        baseline = seconds(parse, baseline_text) / megabytes
        worst_case, worst = "", 0.0
        for case in sorted(PATHOLOGICAL):
            per_mb = seconds(parse, _input(case, size)) / megabytes
            if per_mb > worst:
                worst_case, worst = case, per_mb
        ratio = worst / baseline if baseline else float("inf")
        print(f"{name:28} {worst_case:28} {worst:8.3f} {baseline:14.3f} {ratio:7.1f}")


if __name__ == "__main__":
    main()
