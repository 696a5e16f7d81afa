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


def _forwarded(body: str | None, html: str | None = None):
    from email.message import EmailMessage

    from inbox import parse

    mail = EmailMessage()
    mail["From"] = "alice@example.com"
    mail["Subject"] = "Fwd: your application"
    if body is None:
        mail.set_content(html, subtype="html")
    else:
        mail.set_content(body)
    return parse.original(parse.read_message(mail.as_bytes()))


# Forwards written differently from the fixtures: Thunderbird (subject first), Outlook's
# "Original Message", Gmail's and Outlook's HTML, Apple Mail with quoted headers, bare text.
UNSEEN = [
    (
        "-------- Forwarded Message --------\nSubject: \tUpdate on your application\n"
        "Date: \tFri, 4 Apr 2025 16:20:11 +0000\nFrom: \tContoso Talent <careers@contoso.com>\n"
        "To: \talice@example.com\n\nDear Alice,\nWe appreciate your interest in the Site "
        "Reliability Engineer position. After reviewing your background, we will not be "
        "progressing your application further.\nBest wishes, Contoso",
        None, "careers@contoso.com", "rejection", "contoso", None,
    ),
    (
        "\n-----Original Message-----\nFrom: Fabrikam HR <hr@fabrikam.de>\nSent: Thursday, "
        "April 3, 2025 9:41 AM\nTo: Alice <alice@example.com>\nSubject: Interview\n\nHi Alice, "
        "we'd like to invite you for an interview on Monday, April 14 at 10:00 AM at our Munich "
        "office. Please confirm.",
        None, "hr@fabrikam.de", "interview", "fabrikam", "2025-04-14T10:00:00",
    ),
    (
        None,
        '<div dir="ltr"><div class="gmail_quote"><div class="gmail_attr">---------- Forwarded '
        "message ---------<br>De&nbsp;: <strong class=\"gmail_sendername\">Equipe Recrutement"
        '</strong> <span>&lt;<a href="mailto:jobs@datadoghq.fr">jobs@datadoghq.fr</a>&gt;</span>'
        "<br>Date: ven. 4 avr. 2025 à 14:02<br>Subject: Votre candidature<br>To: &lt;"
        "alice@example.com&gt;<br></div><div>Bonjour Alice, nous avons bien reçu votre "
        "candidature pour le poste d'Ingénieur SRE.</div></div></div>",
        "jobs@datadoghq.fr", "confirmation", "datadoghq", None,
    ),
    (
        None,
        '<div><p class="MsoNormal"><b>Von:</b> Zeiss Karriere &lt;noreply@zeiss.com&gt; <br>'
        "<b>Gesendet:</b> Mittwoch, 2. April 2025 08:15<br><b>An:</b> Alice &lt;"
        "alice@example.com&gt;<br><b>Betreff:</b> Ihre Bewerbung</p><p>Sehr geehrte Frau "
        "Martin, leider müssen wir Ihnen heute eine Absage erteilen.</p></div>",
        "noreply@zeiss.com", "rejection", "zeiss", None,
    ),
    (
        'Begin forwarded message:\n\n> From: "Globant Talent" <talent@globant.com>\n> Subject: '
        "Entrevista técnica\n> Date: 3 April 2025 at 18:05:00 CEST\n> To: alice@example.com\n"
        "> \n> Hola Alice, nos gustaría invitarte a una entrevista técnica el jueves 10 de abril "
        "a las 16:30.\n",
        None, "talent@globant.com", "interview", "globant", "2025-04-10T16:30:00",
    ),
]  # fmt: skip


@pytest.mark.parametrize("body, html, sender, kind, employer, interview", UNSEEN)
def test_it_reads_forwards_written_unlike_the_fixtures(
    body, html, sender, kind, employer, interview
):
    from inbox import understand

    found = _forwarded(body, html)
    reading = understand.read(found)

    assert found.sender == sender
    assert found.date is not None and found.date.year == 2025
    assert reading.kind == kind
    assert reading.employer_hints[0] == employer
    if interview:
        assert reading.interview_at.replace(tzinfo=None).isoformat() == interview
