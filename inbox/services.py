"""Forwarded emails: the forwarding address, reading one message, and the proposals it leaves.

A message is read in memory and forgotten: only a Proposal (job, stage, original date, sender's
domain, a short snippet) or candidate postings in an import preview are kept. Every message
that is not delivered is dropped without a reply and counted by reason (InboundCount), with
no address and no account.
"""

from __future__ import annotations

import enum
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from inbox import match, parse, understand
from inbox.models import ForwardingAddress, InboundCount, Kind, Proposal
from jobtrax.cache import cache_delete, cache_get, cache_set

logger = logging.getLogger(__name__)

# Postfix and Exim read these from a pipe command (sysexits.h).
EX_OK = 0
EX_NOUSER = 67
EX_TEMPFAIL = 75


class Outcome(enum.Enum):
    """What happened to one message: (reason code, exit status). Dropped messages exit 0, as
    delivered: a refusal would make the mail server send a bounce to the (possibly forged)
    sender, which is backscatter."""

    DELIVERED = ("delivered", EX_OK)
    ALERT = ("alert", EX_OK)
    NOT_UNDERSTOOD = ("not_understood", EX_OK)
    UNVERIFIED_SENDER = ("unverified_sender", EX_OK)
    AUTH_FAILED = ("auth_failed", EX_OK)
    TOO_LARGE = ("too_large", EX_OK)
    DAILY_LIMIT = ("daily_limit", EX_OK)
    MALFORMED = ("malformed", EX_OK)
    FEATURE_OFF = ("feature_off", EX_NOUSER)
    UNKNOWN_RECIPIENT = ("unknown_recipient", EX_NOUSER)
    TRY_LATER = ("try_later", EX_TEMPFAIL)

    @property
    def reason(self) -> str:
        return self.value[0]

    @property
    def exit_code(self) -> int:
        return self.value[1]


def enabled() -> bool:
    return bool(settings.INBOUND_EMAIL_DOMAIN)


# The forwarding address -------------------------------------------------------------------------


def _local_part() -> str:
    # 16 random characters of [a-z0-9]: about 82 bits, lowercase because mail servers may fold.
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(secrets.choice(alphabet) for _ in range(16))


def address_enable(*, user: AbstractBaseUser) -> ForwardingAddress:
    """Turn the forwarding address on (a no-op when it is on)."""
    existing = ForwardingAddress.objects.filter(user=user).first()
    if existing is not None:
        return existing
    return ForwardingAddress.objects.create(user=user, local_part=_local_part())


def address_replace(*, user: AbstractBaseUser) -> ForwardingAddress:
    """A new random address; the old one stops working at once."""
    address = ForwardingAddress.objects.filter(user=user).first()
    if address is None:
        return address_enable(user=user)
    address.local_part = _local_part()
    address.created_at = timezone.now()
    address.save(update_fields=["local_part", "created_at"])
    return address


def address_disable(*, user: AbstractBaseUser) -> None:
    ForwardingAddress.objects.filter(user=user).delete()


# Receiving ---------------------------------------------------------------------------------------


def inbound_count(*, reason: str) -> None:
    day = timezone.now().date()
    updated = InboundCount.objects.filter(day=day, reason=reason).update(count=F("count") + 1)
    if not updated:
        try:
            with transaction.atomic():
                InboundCount.objects.create(day=day, reason=reason, count=1)
        except IntegrityError:
            InboundCount.objects.filter(day=day, reason=reason).update(count=F("count") + 1)


def _finish(outcome: Outcome) -> Outcome:
    inbound_count(reason=outcome.reason)
    logger.info("inbound email: %s", outcome.reason)
    return outcome


def route(recipients: list[str]) -> ForwardingAddress | None:
    """The forwarding address among the recipients, in the order given."""
    domain = settings.INBOUND_EMAIL_DOMAIN.lower()
    for recipient in recipients:
        local, _, host = recipient.strip().strip("<>").lower().rpartition("@")
        local = local.split("+", 1)[0]
        if host == domain and local:
            found = ForwardingAddress.objects.filter(local_part=local).select_related("user")
            found = found.first()
            if found is not None:
                return found
    return None


def recipients_of(message) -> list[str]:
    """Delivered-To, X-Original-To, then To and Cc."""
    return parse.addresses(message, "Delivered-To", "X-Original-To", "To", "Cc")


AUTH_FAIL = ("spf=fail", "dkim=fail", "dmarc=fail")


def authentication_failed(message) -> bool:
    """The transport's own verdict, when it gives one: the topmost Authentication-Results
    (added by the receiving server) and Received-SPF headers."""
    results = parse.header(message, "Authentication-Results").lower()
    if results:
        if "dmarc=fail" in results or "spf=fail" in results:
            return True
        if "dkim=fail" in results and "dkim=pass" not in results:
            return True
    spf = parse.header(message, "Received-SPF").lower()
    return spf.startswith("fail")


def _verified_sender(user: AbstractBaseUser, message) -> bool:
    from allauth.account.models import EmailAddress

    senders = parse.addresses(message, "From")
    if len(senders) != 1:
        return False
    return EmailAddress.objects.filter(user=user, email__iexact=senders[0], verified=True).exists()


def _within_daily_limit(address: ForwardingAddress) -> bool:
    today = timezone.now().date()
    with transaction.atomic():
        locked = ForwardingAddress.objects.select_for_update().get(pk=address.pk)
        if locked.day != today:
            locked.day, locked.received_today = today, 0
        if locked.received_today >= settings.INBOUND_EMAIL_DAILY_LIMIT:
            return False
        locked.received_today += 1
        locked.save(update_fields=["day", "received_today"])
    return True


@dataclass
class Received:
    outcome: Outcome
    proposal: Proposal | None = None


def inbound_receive(
    *,
    raw: bytes | None = None,
    message=None,
    recipients: list[str] | None = None,
    spam_detected: bool = False,
) -> Received:
    """Read one message (raw bytes, or one already parsed by the webhook) and keep what it
    proposes. The message itself goes nowhere: not to the database, a task, a file or a log."""
    if not enabled():
        return Received(_finish(Outcome.FEATURE_OFF))
    if raw is not None and len(raw) > settings.INBOUND_EMAIL_MAX_BYTES:
        return Received(_finish(Outcome.TOO_LARGE))
    try:
        if message is None:
            message = parse.read_message(raw or b"")
        wanted = list(recipients or []) + recipients_of(message)
    except parse.Unreadable:
        return Received(_finish(Outcome.MALFORMED))
    address = route(wanted)
    if address is None:
        return Received(_finish(Outcome.UNKNOWN_RECIPIENT))
    user = address.user
    if not user.is_active or not _verified_sender(user, message):
        return Received(_finish(Outcome.UNVERIFIED_SENDER))
    if spam_detected or authentication_failed(message):
        return Received(_finish(Outcome.AUTH_FAILED))
    if not _within_daily_limit(address):
        return Received(_finish(Outcome.DAILY_LIMIT))
    try:
        found = parse.original(message)
        reading = understand.read(found)
    except parse.Unreadable:
        return Received(_finish(Outcome.MALFORMED))
    except (RecursionError, MemoryError):
        return Received(_finish(Outcome.MALFORMED))
    if reading.kind == Kind.ALERT:
        return Received(_finish(Outcome.ALERT), _alert_proposal(user, found, reading))
    if not reading.kind:
        return Received(_finish(Outcome.NOT_UNDERSTOOD))
    proposal = _update_proposal(user, found, reading)
    return Received(_finish(Outcome.DELIVERED), proposal)


def _email_date(found: parse.Original) -> datetime | None:
    now = timezone.now()
    if found.date is None or found.date > now + timedelta(days=1):
        return None
    return found.date


def _update_proposal(user, found: parse.Original, reading: understand.Reading) -> Proposal:
    from jobs.models import Job

    jobs = Job.objects.filter(user=user, archived_at__isnull=True).only(
        "pk", "title", "company", "board_id", "updated_at", "stage"
    )
    job = match.best_job(
        jobs[:2000], hints=reading.employer_hints, subject=found.subject, text=found.text
    )
    company, title = guess_company_and_title(found, reading)
    proposal = Proposal.objects.create(
        user=user,
        job=job,
        kind=reading.kind,
        proposed_stage=understand.STAGE_FOR[reading.kind],
        email_date=_email_date(found),
        sender_domain=understand.domain_of(found.sender)[:255],
        company=company[:200],
        title=title[:200],
        snippet=reading.snippet[:300],
        interview_at=reading.interview_at,
    )
    proposal_count_forget(user.pk)
    return proposal


TITLE_LEADS = (
    "application for the position of ", "application for the role of ", "application for ",
    "applying for ", "applying to ", "bewerbung als ", "bewerbung fur ", "bewerbung auf ",
    "candidature au poste de ", "candidature pour le poste de ", "candidature pour ",
    "candidatura para el puesto de ", "candidatura a ", "candidatura para ", "position: ",
    "role: ", "stelle: ", "poste : ", "puesto: ", "interview for ",
)  # fmt: skip
TITLE_ENDS = (" at ", " bei ", " chez ", " en ", " - ", " | ", " with ", " (")


def guess_company_and_title(found: parse.Original, reading: understand.Reading):
    """For a proposal without a job: the employer and title the email seems to be about."""
    company = reading.employer_hints[0].title() if reading.employer_hints else ""
    title = ""
    for source in (found.subject, found.text[:1500]):
        low = understand.plain(source)
        for lead in TITLE_LEADS:
            at = low.find(lead)
            if at < 0:
                continue
            rest = source[at + len(lead) :].split("\n", 1)[0]
            low_rest = understand.plain(rest)
            cut = min((low_rest.find(end) for end in TITLE_ENDS if end in low_rest), default=-1)
            title = (rest[:cut] if cut > 0 else rest[:80]).strip(" .,:;!\"'«»")
            if title:
                break
        if title:
            break
    return company, title


def _alert_proposal(user, found: parse.Original, reading: understand.Reading) -> Proposal | None:
    from importer.services import preview_from_postings

    preview = preview_from_postings(user=user, postings=reading.postings)
    proposal = Proposal.objects.create(
        user=user,
        kind=Kind.ALERT,
        email_date=_email_date(found),
        sender_domain=understand.domain_of(found.sender)[:255],
        snippet=f"{len(reading.postings)} jobs listed",
        preview_id=preview.pk,
    )
    proposal_count_forget(user.pk)
    return proposal


# Deciding ----------------------------------------------------------------------------------------


def proposal_confirm(*, proposal: Proposal, job=None) -> object:
    """Apply a proposal to its job (or to `job`, picked by the person): the job moves to the
    proposed stage as of the email's date, an interview time becomes the follow-up date, and
    the proposal (with its snippet) is deleted. Returns the job."""
    from jobs.interviews import interview_create
    from jobs.services import job_move, job_set_follow_up

    job = job or proposal.job
    if job is None or job.user_id != proposal.user_id:
        raise ValueError("A proposal applies to one of its owner's jobs.")
    with transaction.atomic():
        if proposal.proposed_stage:
            job_move(job=job, stage=proposal.proposed_stage, at=proposal.email_date)
        if proposal.interview_at is not None:
            # The proposed time becomes an interview on the job (with its own reminder and a
            # place in the calendar feed), and the day a follow-up.
            interview_create(
                job=job,
                data={
                    "kind": "other",
                    "starts_at": proposal.interview_at,
                    "ends_at": proposal.interview_at + timedelta(hours=1),
                    "notes": "Proposed in a forwarded email.",
                },
            )
            job_set_follow_up(job=job, follow_up_on=timezone.localdate(proposal.interview_at))
        proposal.delete()
    proposal_count_forget(proposal.user_id)
    return job


def proposal_create_job(*, proposal: Proposal, title: str, company: str) -> object:
    """No tracked job matched: track a new one and apply the proposal to it."""
    from jobs.services import job_create

    with transaction.atomic():
        job = job_create(
            user=proposal.user,
            data={"title": title, "company": company},
            **job_origin(),
        )
        return proposal_confirm(proposal=proposal, job=job)


def job_origin() -> dict:
    """How a job made from an email says where it came from."""
    return {"channel": "email"}


def proposal_dismiss(*, proposal: Proposal) -> None:
    if proposal.preview_id:
        from importer.models import ImportPreview

        ImportPreview.objects.filter(pk=proposal.preview_id, owner_id=proposal.user_id).delete()
    proposal.delete()
    proposal_count_forget(proposal.user_id)


PROPOSAL_COUNT_SECONDS = 300


def proposal_count_key(user_id: int) -> str:
    return f"inbox:proposals:{user_id}"


def proposal_count(user_id: int) -> int:
    """How many updates wait for the person (the board's banner), kept in the fail-soft cache
    until a proposal is made, confirmed or dismissed, or for PROPOSAL_COUNT_SECONDS after one
    expires."""
    count = cache_get(proposal_count_key(user_id))
    if count is None:
        count = Proposal.objects.filter(user_id=user_id).count()
        cache_set(proposal_count_key(user_id), count, PROPOSAL_COUNT_SECONDS)
    return count


def proposal_count_forget(user_id: int) -> None:
    cache_delete(proposal_count_key(user_id))
