"""Accuracy on the inbound fixtures: each message piped in as its owner forwarded it must leave
the right proposal (kind, job, original date, interview time) or, for a job alert, the postings
it lists. Prints accuracy by kind and by language."""

import json
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import make_user

DATA = Path(__file__).parent / "data" / "inbound"
EXPECTED = json.loads((DATA / "expected.json").read_text())
# Below this share of right answers the test fails; the figures are printed either way.
MINIMUM = 0.9


@pytest.fixture
def owner(db, settings):
    from inbox.models import ForwardingAddress
    from jobs.services import job_create

    settings.INBOUND_EMAIL_DOMAIN = EXPECTED["forwarding"].split("@")[1]
    user = make_user(EXPECTED["owner"])
    ForwardingAddress.objects.create(user=user, local_part=EXPECTED["forwarding"].split("@")[0])
    for company, title, board_id in EXPECTED["jobs"]:
        job_create(
            user=user, data={"title": title, "company": company}, board_id=board_id,
            stage="applied",
        )  # fmt: skip
    return user


def _check(name: str, want: dict, user) -> list[str]:
    """What is wrong with the outcome of one message; empty when it is right."""
    from importer.models import ImportPreview
    from inbox.models import Proposal
    from inbox.services import inbound_receive

    Proposal.objects.all().delete()
    received = inbound_receive(raw=(DATA / f"{name}.eml").read_bytes())
    proposal = received.proposal
    if proposal is None:
        return [f"no proposal ({received.outcome.reason})"]
    wrong = []
    if proposal.kind != want["kind"]:
        wrong.append(f"kind {proposal.kind!r}, wanted {want['kind']!r}")
    if want["kind"] == "alert":
        preview = ImportPreview.objects.get(pk=proposal.preview_id)
        got = [[p["title"], p["company"]] for p in preview.postings]
        if got != want["postings"]:
            wrong.append(f"postings {got}")
        return wrong
    got_company = proposal.job.company if proposal.job else None
    if got_company != want["job"]:
        wrong.append(f"job {got_company!r}, wanted {want['job']!r}")
    expected_date = datetime.fromisoformat(want["date"])
    if (
        proposal.email_date is None
        or abs(
            proposal.email_date.replace(tzinfo=None) - expected_date.replace(tzinfo=None)
        ).total_seconds()
        > 60
    ):
        wrong.append(f"date {proposal.email_date}, wanted {want['date']}")
    if want["interview"]:
        at = proposal.interview_at
        if at is None or at.replace(tzinfo=None) != datetime.fromisoformat(want["interview"]):
            wrong.append(f"interview {at}, wanted {want['interview']}")
    return wrong


def test_it_understands_the_fixtures_by_kind_and_language(owner, capsys):
    by_kind, by_lang = defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0])
    failures = {}
    for name, want in EXPECTED["messages"].items():
        wrong = _check(name, want, owner)
        for table, key in ((by_kind, want["kind"]), (by_lang, want["lang"])):
            table[key][0] += not wrong
            table[key][1] += 1
        if wrong:
            failures[name] = wrong
    with capsys.disabled():
        print("\nInbound accuracy on the fixtures (right / all):")
        for title, table in (("kind", by_kind), ("language", by_lang)):
            for key, (right, total) in sorted(table.items()):
                print(f"  {title:8} {key:13} {right:2}/{total:2}  {right / total:6.1%}")
        for name, wrong in failures.items():
            print(f"  wrong: {name}: {'; '.join(wrong)}")
    right = sum(r for r, _ in by_kind.values())
    total = sum(t for _, t in by_kind.values())
    assert right / total >= MINIMUM, failures
