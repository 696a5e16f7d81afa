"""Forwarding emails: the address, who may send, the limits, the pipe command's exit codes, and
the proposals a person confirms or dismisses. The email itself is never kept."""

import io
import json
import sys
from datetime import timedelta
from email.message import EmailMessage
from http import HTTPStatus
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone

from inbox import services
from inbox.models import ForwardingAddress, InboundCount, Proposal
from jobs.models import Job, StageChange
from tests.conftest import make_user

DATA = Path(__file__).parent / "data" / "inbound"
EXPECTED = json.loads((DATA / "expected.json").read_text())
LOCAL, DOMAIN = EXPECTED["forwarding"].split("@")


@pytest.fixture
def inbound(settings):
    settings.INBOUND_EMAIL_DOMAIN = DOMAIN
    return settings


@pytest.fixture
def alice(db, inbound):
    user = make_user("alice@example.com")
    ForwardingAddress.objects.create(user=user, local_part=LOCAL)
    return user


@pytest.fixture
def northwind(alice):
    from jobs.services import job_create

    return job_create(
        user=alice, data={"title": "Data Engineer", "company": "Northwind Analytics"},
        stage="applied",
    )  # fmt: skip


def fixture(name: str) -> bytes:
    return (DATA / f"{name}.eml").read_bytes()


def pipe(raw: bytes, *args: str) -> int:
    """Run `manage.py jobs_inbound` with the message on stdin; its exit status."""

    class Stdin(io.TextIOWrapper):
        pass

    stdin = Stdin(io.BytesIO(raw))
    old, sys.stdin = sys.stdin, stdin
    try:
        call_command("jobs_inbound", *args)
    except SystemExit as exc:
        return exc.code
    finally:
        sys.stdin = old
    raise AssertionError("the command must exit with a status")


def counts() -> dict:
    return dict(InboundCount.objects.values_list("reason", "count"))


# The address ------------------------------------------------------------------------------------


def test_forwarding_is_off_when_no_domain_is_set(client_logged_in, settings):
    settings.INBOUND_EMAIL_DOMAIN = ""

    page = client_logged_in.get("/jobs/forward/")
    client_logged_in.post("/jobs/forward/", {"action": "enable"})

    assert b'data-testid="forwarding-off"' in page.content
    assert not ForwardingAddress.objects.exists()


def test_a_person_turns_it_on_replaces_it_and_turns_it_off(client_logged_in, user, inbound):
    client_logged_in.post("/jobs/forward/", {"action": "enable"})
    first = ForwardingAddress.objects.get(user=user)
    page = client_logged_in.get("/jobs/forward/")

    assert first.address.endswith("@" + DOMAIN) and len(first.local_part) == 16
    assert first.address.encode() in page.content
    assert b"data-copy=" in page.content

    client_logged_in.post("/jobs/forward/", {"action": "replace"})
    second = ForwardingAddress.objects.get(user=user)
    assert second.local_part != first.local_part
    assert services.route([first.address]) is None  # the old one stops at once
    assert services.route([second.address]).user == user

    client_logged_in.post("/jobs/forward/", {"action": "disable"})
    assert not ForwardingAddress.objects.filter(user=user).exists()
    assert services.route([second.address]) is None


def test_the_page_is_reached_from_the_board_and_from_your_data(client_logged_in, inbound):
    assert b'href="/jobs/forward/"' in client_logged_in.get("/jobs/").content
    assert b'href="/jobs/forward/"' in client_logged_in.get("/data/").content


# Who may send -----------------------------------------------------------------------------------


def test_an_unverified_sender_leaves_nothing_and_is_only_counted(alice, northwind):
    before = Job.objects.get(pk=northwind.pk).stage

    status = pipe(fixture("spoofed_unverified_sender"))

    assert status == 0  # dropped, never bounced (no backscatter)
    assert not Proposal.objects.exists()
    assert Job.objects.get(pk=northwind.pk).stage == before
    assert counts() == {"unverified_sender": 1}


def test_a_verified_address_not_yet_confirmed_may_not_send(db, inbound):
    user = make_user("alice@example.com", verified=False)
    ForwardingAddress.objects.create(user=user, local_part=LOCAL)

    assert pipe(fixture("lever_rejection_en_apple")) == 0
    assert not Proposal.objects.exists()


def test_a_message_that_failed_dmarc_is_dropped(alice, northwind):
    assert pipe(fixture("spoofed_dmarc_fail")) == 0
    assert not Proposal.objects.exists()
    assert counts() == {"auth_failed": 1}


def test_an_unknown_forwarding_address_is_no_such_user(alice):
    raw = fixture("lever_rejection_en_apple").replace(LOCAL.encode(), b"nosuchaddress000")

    assert pipe(raw) == 67
    assert counts() == {"unknown_recipient": 1}


def test_the_envelope_recipient_routes_before_the_headers(alice, northwind):
    raw = fixture("lever_rejection_en_apple").replace(LOCAL.encode(), b"nosuchaddress000")

    assert pipe(raw, "--recipient", f"{LOCAL}@{DOMAIN}") == 0
    assert Proposal.objects.get().job == northwind


def test_delivered_to_wins_over_to(alice, northwind):
    raw = fixture("lever_rejection_en_apple").replace(LOCAL.encode(), b"nosuchaddress000")
    raw = f"Delivered-To: {LOCAL}@{DOMAIN}\r\n".encode() + raw

    assert pipe(raw) == 0
    assert Proposal.objects.count() == 1


def test_it_reads_at_most_the_daily_limit(alice, northwind, settings):
    settings.INBOUND_EMAIL_DAILY_LIMIT = 2
    for _ in range(3):
        assert pipe(fixture("lever_rejection_en_apple")) == 0

    assert Proposal.objects.count() == 2
    assert counts() == {"delivered": 2, "daily_limit": 1}


def test_the_database_down_is_try_again_later(alice, monkeypatch):
    def down(**kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(services, "inbound_receive", down)

    assert pipe(fixture("lever_rejection_en_apple")) == 75


# Hostile input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, reason",
    [
        ("malformed_garbage", "unknown_recipient"),
        ("malformed_unclosed_multipart", "not_understood"),
        ("zip_bomb_attachment", "delivered"),
        ("broken_charset", "delivered"),
        ("lying_charset", "delivered"),
    ],
)
def test_bad_input_ends_in_a_defined_exit_and_a_reason(alice, northwind, name, reason, caplog):
    caplog.set_level("INFO", logger="inbox")
    status = pipe(fixture(name))

    assert status in (0, 67)
    assert counts() == {reason: 1}
    assert [r.getMessage() for r in caplog.records] == [f"inbound email: {reason}"]


def test_an_oversized_message_is_dropped_unread(alice):
    raw = fixture("lever_rejection_en_apple") + b"x" * 1_100_000

    assert pipe(raw) == 0
    assert counts() == {"too_large": 1}


def test_a_hundred_thousand_mime_parts_are_refused_quickly(alice, settings):
    settings.INBOUND_EMAIL_MAX_BYTES = 20_000_000
    parts = b"".join(b"--b\r\nContent-Type: text/plain\r\n\r\nx\r\n" for _ in range(100_000))
    raw = (
        (
            f"From: alice@example.com\r\nTo: {LOCAL}@{DOMAIN}\r\nSubject: parts\r\n"
            'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n'
        ).encode()
        + parts
        + b"--b--\r\n"
    )

    assert pipe(raw) == 0
    assert counts() == {"malformed": 1}


def test_deeply_nested_messages_do_not_crash(alice, settings):
    inner = EmailMessage()
    inner["From"] = "x@example.org"
    inner.set_content("Unfortunately, we have decided to move forward with other candidates.")
    for _ in range(60):
        outer = EmailMessage()
        outer["From"] = "alice@example.com"
        outer["To"] = f"{LOCAL}@{DOMAIN}"
        outer.set_content("fyi")
        outer.add_attachment(inner)
        inner = outer

    assert pipe(inner.as_bytes()) == 0


def test_nested_forwards_reach_the_first_sender(alice, northwind):
    assert pipe(fixture("nested_forwards")) == 0

    proposal = Proposal.objects.get()
    assert proposal.sender_domain == "hire.lever.co"
    assert proposal.job == northwind
    assert proposal.proposed_stage == "rejected"


# Proposals ---------------------------------------------------------------------------------------


def test_nothing_moves_until_the_person_confirms(client, alice, northwind):
    pipe(fixture("lever_rejection_en_apple"))
    client.force_login(alice)

    board = client.get("/jobs/")
    review = client.get("/jobs/from-email/")
    job_page = client.get(f"/jobs/{northwind.pk}/")

    assert Job.objects.get(pk=northwind.pk).stage == "applied"
    assert b"1 update from your emails" in board.content
    assert b"we have decided to move forward with other candidates" in review.content
    assert b'data-testid="job-proposals"' in job_page.content

    proposal = Proposal.objects.get()
    response = client.post(f"/jobs/from-email/{proposal.pk}/confirm/")

    job = Job.objects.get(pk=northwind.pk)
    assert response.status_code == HTTPStatus.FOUND
    assert job.stage == "rejected"
    change = StageChange.objects.get(job=job, to_stage="rejected")
    assert timezone.localtime(change.changed_at).date().isoformat() == "2025-03-12"
    assert not Proposal.objects.exists()  # the snippet goes with it


def test_a_confirmed_interview_lands_on_the_job_with_its_follow_up_date(client, alice):
    from jobs.models import Interview
    from jobs.services import job_create

    job = job_create(user=alice, data={"title": "DevOps Engineer", "company": "Wayne Logistik AG"})
    pipe(fixture("person_interview_de_apple"))
    proposal = Proposal.objects.get()
    client.force_login(alice)

    client.post(f"/jobs/from-email/{proposal.pk}/confirm/", {"back": "job"})

    job.refresh_from_db()
    assert job.stage == "interviewing"
    assert job.follow_up_on.isoformat() == "2025-03-12"
    [interview] = Interview.objects.filter(job=job)
    assert interview.starts_at == proposal.interview_at


def test_dismissing_changes_nothing(client, alice, northwind):
    pipe(fixture("lever_rejection_en_apple"))
    client.force_login(alice)

    client.post(f"/jobs/from-email/{Proposal.objects.get().pk}/dismiss/")

    assert not Proposal.objects.exists()
    assert Job.objects.get(pk=northwind.pk).stage == "applied"


def test_without_a_match_it_offers_to_create_the_job_or_pick_one(client, alice, northwind):
    pipe(fixture("person_offer_en_gmail"))  # Stark Industries is not tracked
    proposal = Proposal.objects.get()
    client.force_login(alice)

    page = client.get("/jobs/from-email/")
    assert proposal.job is None
    assert b"Track it as a new job" in page.content
    assert b"Apply to this job" in page.content

    client.post(
        f"/jobs/from-email/{proposal.pk}/create/",
        {f"p{proposal.pk}-title": "Frontend Developer", f"p{proposal.pk}-company": "Stark"},
    )
    job = Job.objects.get(title="Frontend Developer")
    assert job.stage == "offer"
    assert job.channel == "email"


def test_a_job_alert_becomes_candidates_saved_only_by_choice(client, alice):
    from importer.models import ImportPreview

    pipe(fixture("linkedin_alert_en_gmail"))
    proposal = Proposal.objects.get()
    preview = ImportPreview.objects.get(pk=proposal.preview_id)
    client.force_login(alice)

    page = client.get(f"/jobs/import/{preview.pk}/")

    assert [p["company"] for p in preview.postings] == ["Zalando", "N26", "Delivery Hero"]
    assert b"Backend Engineer (Go)" in page.content
    assert not Job.objects.exists()

    response = client.get(f"/jobs/import/{preview.pk}/?posting=1")
    form = {k: v for k, v in response.context["form"].initial.items() if v not in (None, "")}
    client.post(f"/jobs/import/{preview.pk}/?posting=1", {**form, "posting": 1})
    assert list(Job.objects.values_list("company", "channel")) == [("N26", "email")]


def test_another_persons_proposal_is_a_404(client, alice, northwind, other_user):
    pipe(fixture("lever_rejection_en_apple"))
    client.force_login(other_user)

    response = client.post(f"/jobs/from-email/{Proposal.objects.get().pk}/confirm/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert Job.objects.get(pk=northwind.pk).stage == "applied"


def test_unconfirmed_proposals_expire_after_fourteen_days(alice, northwind):
    from jobtrax import datamap
    from logs_retention.services import retention_run

    pipe(fixture("lever_rejection_en_apple"))
    pipe(fixture("lever_interview_en_gmail"))
    old = Proposal.objects.order_by("pk").first()
    Proposal.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=15))

    assert datamap.policy("email_proposals").window == timedelta(days=14)
    retention_run(policy_name="email_proposals")

    assert list(Proposal.objects.values_list("kind", flat=True)) == ["interview"]


def test_your_data_shows_the_address_and_when_proposals_go(client, alice, northwind):
    pipe(fixture("lever_rejection_en_apple"))
    client.force_login(alice)

    page = client.get("/data/").content.decode()

    assert f"{LOCAL}@{DOMAIN}" in page
    assert 'data-testid="inbox-next-purge"' in page


def test_an_unexpected_error_is_a_reason_without_a_traceback(alice, monkeypatch, caplog):
    from inbox import understand

    def broken(found):
        raise ValueError(found.text)

    monkeypatch.setattr(understand, "read", broken)
    caplog.set_level("INFO")

    assert pipe(fixture("lever_rejection_en_apple")) == 0
    assert "inbound email: internal (ValueError)" in caplog.text
    assert "other candidates" not in caplog.text


def test_a_forwarded_posting_becomes_a_candidate_to_import(alice):
    from importer.models import ImportPreview

    posting = EmailMessage()
    posting["From"] = "Alice Martin <alice@example.com>"
    posting["To"] = f"{LOCAL}@{DOMAIN}"
    posting["Subject"] = "Fwd: Platform Engineer (Kubernetes) at Contoso"
    posting.set_content(
        "---------- Forwarded message ---------\nFrom: Sam <sam@contoso.com>\n"
        "Date: Mon, Mar 3, 2025 at 9:00 AM\nSubject: Platform Engineer (Kubernetes) at Contoso\n\n"
        "Hi, thought of you for this one.\n\nAbout the role\nYou will run our clusters.\n\n"
        "Responsibilities\n- Operate Kubernetes\n\nRequirements\n- 3 years of Go\n\n"
        "https://careers.contoso.com/jobs/123\n"
    )

    assert pipe(posting.as_bytes()) == 0

    preview = ImportPreview.objects.get(pk=Proposal.objects.get().preview_id)
    [found] = preview.postings
    assert found["title"] == "Platform Engineer (Kubernetes) at Contoso"
    assert found["url"] == "https://careers.contoso.com/jobs/123"
    assert "Operate Kubernetes" in found["description"]
    assert not Job.objects.exists()


def test_the_address_and_proposals_are_exported_and_erased_with_the_account(alice, northwind):
    import zipfile

    from rights.export import write_zip
    from rights.services.deletion import account_erase

    pipe(fixture("lever_rejection_en_apple"))
    target = io.BytesIO()
    write_zip(user_id=alice.pk, target=target)
    data = json.loads(zipfile.ZipFile(target).read("data.json"))["records"]

    assert [r["local_part"] for r in data["forwarding_address"]] == [LOCAL]
    assert [r["proposed_stage"] for r in data["email_proposals"]] == ["rejected"]

    account_erase(user_id=alice.pk, reason="test")

    assert not ForwardingAddress.objects.exists()
    assert not Proposal.objects.exists()


def test_an_alert_whose_import_expired_says_so(client, alice):
    from importer.models import ImportPreview

    pipe(fixture("linkedin_alert_en_gmail"))
    ImportPreview.objects.all().delete()
    client.force_login(alice)

    page = client.get("/jobs/from-email/")

    assert page.status_code == HTTPStatus.OK
    assert b"were deleted unpicked" in page.content
