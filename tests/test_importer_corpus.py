"""Accuracy on real postings: the shared job-posting corpus (ATS and job-board API responses,
schema.org's JobPosting examples, malformed JSON-LD pages), compared field by field with its
expected.jsonl. The corpus lives beside the project and is read at test time only.

The accuracy table is printed at the end of the run (and inline with -s)."""

import json
from collections import defaultdict
from pathlib import Path

import pytest

from importer import boards
from importer.extract import extract_postings
from importer.posting import CORPUS_FIELDS
from tests.conftest import need

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "jobposting-corpus"
GOAL = 0.98


@pytest.fixture(scope="module")
def corpus() -> Path:
    need(
        (CORPUS / "expected.jsonl").is_file(),
        f"the job-posting corpus is not beside the project ({CORPUS.name})",
    )
    return CORPUS


def read_postings(corpus: Path, file: str, source: str) -> list:
    raw = (corpus / file).read_bytes()
    if file.startswith("ats/"):
        return boards.parse(source, json.loads(raw))
    if file.endswith(".json"):
        # A JSON-LD block, as a page carries it.
        raw = b'<html><head><script type="application/ld+json">' + raw + b"</script></head></html>"
    return extract_postings(raw, content_type="text/html; charset=utf-8")


@pytest.fixture(scope="module")
def results(corpus, request):
    expected = [
        json.loads(line)
        for line in (corpus / "expected.jsonl").read_text("utf-8").splitlines()
        if line.strip()
    ]
    postings_by_file = {}
    for row in expected:
        if row["file"] not in postings_by_file:
            postings_by_file[row["file"]] = read_postings(corpus, row["file"], row["source"])
    right: dict[str, int] = defaultdict(int)
    by_source: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    wrong: list[str] = []
    rows = []
    for row in expected:
        postings = postings_by_file[row["file"]]
        index = row["index"] or 0
        got = postings[index].as_json() if index < len(postings) else {}
        rows.append((row, got))
        for field in CORPUS_FIELDS:
            by_source[row["source"]][1] += 1
            if got.get(field) == row[field]:
                right[field] += 1
                by_source[row["source"]][0] += 1
            else:
                wrong.append(
                    f"{row['file']}[{row['index']}] {field}: {got.get(field)!r} != {row[field]!r}"
                )
    table = accuracy_table(right, len(expected), wrong, by_source)
    print("\n" + table)
    _show_in_summary(request.config, table)
    return {"expected": expected, "by_file": postings_by_file, "rows": rows, "right": right}


def accuracy_table(
    right: dict[str, int], postings: int, wrong: list[str], by_source: dict[str, list[int]]
) -> str:
    lines = [f"Job-posting corpus: {postings} postings", f"{'field':<16} right  accuracy"]
    for field in CORPUS_FIELDS:
        lines.append(f"{field:<16} {right[field]:>2}/{postings:<2} {right[field] / postings:8.1%}")
    total = sum(right[f] for f in CORPUS_FIELDS)
    fields = postings * len(CORPUS_FIELDS)
    lines.append(f"{'all fields':<16} {total}/{fields} {total / fields:6.1%}")
    lines.append(
        "by source: " + ", ".join(f"{name} {ok}/{all_}" for name, (ok, all_) in by_source.items())
    )
    lines += [f"  wrong: {line}" for line in wrong]
    return "\n".join(lines)


class _Summary:
    def __init__(self, table: str):
        self.table = table

    def pytest_terminal_summary(self, terminalreporter):
        terminalreporter.write_sep("-", "job-posting corpus accuracy")
        terminalreporter.write_line(self.table)


def _show_in_summary(config, table: str) -> None:
    name = "importer-corpus-accuracy"
    if not config.pluginmanager.has_plugin(name):
        config.pluginmanager.register(_Summary(table), name)


def test_at_least_98_percent_of_all_fields_are_right(results):
    postings = len(results["expected"])
    total = sum(results["right"][field] for field in CORPUS_FIELDS)
    assert total / (postings * len(CORPUS_FIELDS)) >= GOAL


def test_every_title_is_right(results):
    assert results["right"]["title"] == len(results["expected"])


def test_each_file_gives_exactly_its_postings_from_the_right_source(results):
    counts = defaultdict(int)
    for row in results["expected"]:
        counts[row["file"]] += 1
    assert {f: len(p) for f, p in results["by_file"].items()} == dict(counts)
    assert [got.get("source") for _row, got in results["rows"]] == [
        row["source"] for row in results["expected"]
    ]


def test_every_posting_converts_to_form_initial_data(results):
    for postings in results["by_file"].values():
        for posting in postings:
            initial = posting.as_form_initial()
            assert initial["title"] == posting.title
            assert initial["source"] == posting.source


def test_malformed_pages_give_no_posting_and_no_error(corpus):
    pages = sorted((corpus / "malformed").glob("*.html"))
    assert pages, "the corpus has malformed pages"
    for page in pages:
        # They hold no JobPosting (a NewsArticle, bare data): nothing may be invented.
        assert extract_postings(page.read_bytes()) == [], page.name
        assert extract_postings(page.read_text("utf-8"), url="https://example.org/") == []
