"""The tracker as CSV: the export (with each job's stage history), and the import of that
export or of another tracker's CSV, previewed first and then imported whole or not at all."""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from jobs import channels, services
from jobs.descriptions import description_from_text, description_plain
from jobs.forms import employment_type_value
from jobs.models import AppliedVia, Job, JobNote, JobTag, Stage, StageChange, Workplace
from jobs.notes import dated_entries, dated_line
from jobs.posting import BOARD_MAX, ORIGIN_FIELDS, POSTING_FIELDS, SALARY_LIMIT, TRACKING_FIELDS
from jobs.stages import stage_map
from jobs.tags import job_set_tags, parse_names, tags_of
from jobs.urlnorm import url_key
from jobtrax import csvsafe
from jobtrax.csvsafe import unformula

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
PREVIEW_SECONDS = 30 * 60
# Our own export's columns, in order. "stage_history" is a JSON list of [from, to, when].
# The posting's fields (the description last: it is the longest), where it came from, and the
# tracking, in the order of the posting contract.
COLUMNS = (
    *(name for name in POSTING_FIELDS if name != "description"),
    *ORIGIN_FIELDS,
    "stage",
    # The fixed phase the stage maps to (a person's own stages too): what analyses should read.
    "phase",
    *TRACKING_FIELDS,
    # The job's dated notes, oldest first, each starting with its date (jobs.notes); an
    # import makes the cell one note.
    "notes",
    "archived_at",
    "created_at",
    "updated_at",
    # The person's tags on the job, comma separated.
    "tags",
    "stage_history",
    "description",
    "description_html",
)
# Columns of older exports still read: `source` became `channel` and `board`.
LEGACY_COLUMNS = ("source",)

# Other trackers' headers, matched by name after lowercasing and dropping punctuation.
HEADER_ALIASES = {
    "title": {"title", "jobtitle", "position", "role", "job", "positiontitle"},
    "company": {"company", "companyname", "employer", "organization", "organisation"},
    "url": {"url", "link", "joburl", "joblink", "postingurl", "jobposting", "postinglink"},
    "stage": {"status", "stage", "applicationstatus", "state"},
    "applied_on": {"dateapplied", "applied", "appliedon", "applieddate", "applicationdate"},
    "notes": {"notes", "note", "comments", "comment"},
    "salary": {"salary", "salaryrange", "pay", "compensation"},
    "location": {"location", "joblocation", "city"},
    "valid_through": {"deadline", "closingdate", "applyby"},
    "follow_up_on": {"followup", "followupdate", "followupon"},
    "tags": {"tags", "tag", "labels", "label"},
}
STAGE_ALIASES = {
    "saved": Stage.SAVED, "wishlist": Stage.SAVED, "bookmarked": Stage.SAVED,
    "interested": Stage.SAVED, "tosubmit": Stage.SAVED, "new": Stage.SAVED, "": Stage.SAVED,
    "applied": Stage.APPLIED, "applying": Stage.APPLIED, "submitted": Stage.APPLIED,
    "interview": Stage.INTERVIEWING, "interviewing": Stage.INTERVIEWING,
    "phonescreen": Stage.INTERVIEWING, "screening": Stage.INTERVIEWING,
    "offer": Stage.OFFER, "offered": Stage.OFFER,
    "accepted": Stage.ACCEPTED, "hired": Stage.ACCEPTED,
    "rejected": Stage.REJECTED, "declined": Stage.REJECTED, "notselected": Stage.REJECTED,
    "withdrawn": Stage.WITHDRAWN, "withdrew": Stage.WITHDRAWN, "archived": Stage.WITHDRAWN,
    "noreply": Stage.NO_REPLY, "noresponse": Stage.NO_REPLY, "ghosted": Stage.NO_REPLY,
}  # fmt: skip


class CsvRejected(Exception):
    """The file as a whole cannot be imported; the message says why, in plain words."""


def write_export(*, user, out, job_ids=None) -> int:
    """Write every job of `user` (archived ones too), or those among `job_ids`, with its
    history, its notes, each stage's phase and its tags."""
    phases = stage_map(user).phases
    writer = csvsafe.writer(out)
    writer.writerow(COLUMNS)
    history: dict[int, list] = {}
    jobs = Job.objects.filter(user=user)
    changes = StageChange.objects.filter(user=user)
    links = JobTag.objects.filter(user=user)
    if job_ids is not None:
        ids = list(job_ids)
        jobs, changes, links = (
            jobs.filter(pk__in=ids), changes.filter(job_id__in=ids), links.filter(job_id__in=ids)
        )  # fmt: skip
    tags: dict[int, list[str]] = {}
    for job_id, name in links.order_by(Lower("tag__name"), "tag_id").values_list(
        "job_id", "tag__name"
    ):
        tags.setdefault(job_id, []).append(name)
    changes = changes.order_by("changed_at", "pk").values_list(
        "job_id", "from_stage", "to_stage", "changed_at"
    )
    for job_id, old, new, at in changes:
        history.setdefault(job_id, []).append([old, new, at.isoformat()])
    notes: dict[int, list[str]] = {}
    entries = JobNote.objects.filter(user=user)
    if job_ids is not None:
        entries = entries.filter(job_id__in=ids)
    entries = entries.order_by("written_at", "pk").values_list("job_id", "written_at", "body")
    for job_id, written_at, body in entries.iterator(chunk_size=500):
        notes.setdefault(job_id, []).append(dated_line(written_at, body))
    count = 0
    for job in jobs.order_by("created_at", "pk").iterator(chunk_size=500):
        row = []
        for name in COLUMNS:
            if name == "stage_history":
                row.append(json.dumps(history.get(job.pk, [])))
            elif name == "description":
                # Readable in a spreadsheet; description_html keeps the formatting.
                row.append(description_plain(job.description))
            elif name == "description_html":
                row.append(job.description)
            elif name == "phase":
                row.append(phases.get(job.stage, ""))
            elif name == "tags":
                row.append(", ".join(tags.get(job.pk, [])))
            elif name == "notes":
                row.append("\n\n".join(notes.get(job.pk, [])))
            else:
                row.append(getattr(job, name))
        writer.writerow(row)
        count += 1
    return count


# Import --------------------------------------------------------------------------------------


@dataclass
class Row:
    number: int
    data: dict = field(default_factory=dict)
    stage: str = Stage.SAVED
    channel: str = "csv"
    board: str = ""
    board_id: str = ""
    history: list | None = None
    tags: list[str] = field(default_factory=list)
    # The dated notes of a JobTrax export's `notes` cell; other text becomes one note.
    notes: list | None = None
    errors: list[str] = field(default_factory=list)
    # Why a good row is left out: the job is already tracked, or earlier in the file.
    skip: str = ""


@dataclass
class Preview:
    token: str
    kind: str  # "jobtrax" or "generic"
    rows: list[Row]
    columns: dict[str, str]  # our field -> the header it came from

    @property
    def errors(self) -> list[Row]:
        return [row for row in self.rows if row.errors]

    @property
    def skipped(self) -> list[Row]:
        return [row for row in self.rows if row.skip and not row.errors]

    @property
    def ready(self) -> list[Row]:
        """The rows an import brings in: the rest is reported, never blocks them."""
        return [row for row in self.rows if not row.errors and not row.skip]


@dataclass
class Imported:
    count: int
    skipped: int


def _header_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", (name or "").lower())


def _decode(upload) -> str:
    if upload.size > MAX_BYTES:
        raise CsvRejected("The file is larger than 5 MB. Split it into smaller files.")
    raw = upload.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise CsvRejected("The file is larger than 5 MB. Split it into smaller files.")
    if not raw.strip():
        raise CsvRejected("The file is empty.")
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise CsvRejected(
            "The file is UTF-16 text, not UTF-8. In your spreadsheet, save it as “CSV UTF-8” "
            "and upload it again."
        )
    if b"\x00" in raw[:8192] or raw[:4] in (b"PK\x03\x04", b"%PDF") or raw[:2] == b"\xff\xd8":
        raise CsvRejected(
            "This is not a CSV file (it looks like a spreadsheet, PDF or other binary file). "
            "Save it as CSV (UTF-8) and upload that."
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvRejected(
            "The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8” and "
            "upload it again."
        ) from None


def _parse_date(value: str, name: str, errors: list[str]) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        parsed = parse_date(value[:10]) if len(value) >= 10 else None
    except ValueError:
        parsed = None
    if parsed is None:
        for fmt in ("%m/%d/%Y", "%d.%m.%Y", "%d/%m/%Y"):
            try:
                parsed = datetime.strptime(value, fmt).date()
                break
            except ValueError:
                continue
    if parsed is None:
        errors.append(f"{name}: “{value[:40]}” is not a date (use YYYY-MM-DD).")
    return parsed


def _parse_datetime(value: str, name: str, errors: list[str]) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        parsed = parse_datetime(value)
    except ValueError:
        parsed = None
    if parsed is None:
        errors.append(f"{name}: “{value[:40]}” is not a date and time.")
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.get_current_timezone())
    return parsed


def _parse_decimal(value: str, name: str, errors: list[str]) -> Decimal | None:
    value = value.strip().replace(",", "")
    if not value:
        return None
    try:
        amount = Decimal(value)
    except InvalidOperation:
        errors.append(f"{name}: “{value[:40]}” is not a number.")
        return None
    if not amount.is_finite():  # NaN, Infinity: Decimal reads them, no salary is one
        errors.append(f"{name}: “{value[:40]}” is not a number.")
        return None
    if abs(amount) > SALARY_LIMIT:
        errors.append(f"{name}: “{value[:40]}” is larger than {SALARY_LIMIT:,}.")
        return None
    return amount


_SALARY = re.compile(r"(\d[\d,.]*)\s*([kK])?")
_EXPONENT = re.compile(r"\d[eE][+-]?\d")  # 1e999: a number no one writes for a salary
_CURRENCY_SIGNS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}


def _parse_salary(text: str, data: dict, errors: list[str]) -> None:
    """ "50000-70000 EUR", "$80k", "£40,000 - £45,000": a range, and a currency if named."""
    text = text.strip()
    if not text:
        return
    if _EXPONENT.search(text):
        errors.append(f"salary: “{text[:40]}” is not an amount (write it in full).")
        return
    amounts = []
    for number, thousands in _SALARY.findall(text)[:2]:
        try:
            amount = Decimal(number.replace(",", "").rstrip("."))
        except InvalidOperation:
            continue
        amounts.append(amount * 1000 if thousands else amount)
    if not amounts:
        errors.append(f"salary: “{text[:40]}” has no amount.")
        return
    if any(amount > SALARY_LIMIT for amount in amounts):
        errors.append(f"salary: “{text[:40]}” is larger than {SALARY_LIMIT:,}.")
        return
    data["salary_min"] = amounts[0]
    data["salary_max"] = amounts[-1]
    code = re.search(r"\b([A-Z]{3})\b", text.upper())
    sign = next((c for s, c in _CURRENCY_SIGNS.items() if s in text), "")
    data["salary_currency"] = code.group(1) if code else sign


def _own_stages(user) -> dict[str, str]:
    """The person's stages by key and by name (as _header_key folds them): a file may name
    one's own stages by either."""
    own: dict[str, str] = {}
    for stage in stage_map(user).stages:
        own[stage.key] = stage.key
        own.setdefault(_header_key(stage.name), stage.key)
    return own


def _stage_of(value: str, errors: list[str], own: dict[str, str] | None = None) -> str:
    own = own or {}
    key = _header_key(value)
    if value.strip() in own:
        return own[value.strip()]
    if key in Stage.values:
        return key
    if value.strip().lower() in Stage.values:
        return value.strip().lower()
    if key and key in own:
        return own[key]
    stage = STAGE_ALIASES.get(key)
    if stage is None:
        errors.append(
            f"stage: “{value[:40]}” is not a stage we know (saved, applied, interviewing, "
            "offer, accepted, rejected, withdrawn, no reply, or one of your own)."
        )
        return Stage.SAVED
    return stage


def _jobtrax_row(number: int, cells: dict[str, str], own: dict[str, str] | None = None) -> Row:
    row = Row(number=number)
    errors = row.errors
    data = row.data
    for name in ("title", "company", "location", "url", "apply_url", "notes", "description"):
        data[name] = unformula(cells.get(name, ""))
    formatted = unformula(cells.get("description_html", ""))
    data["description"] = formatted or description_from_text(data["description"])
    data["workplace"] = cells.get("workplace", "") or Workplace.UNKNOWN
    data["employment_type"] = employment_type_value(cells.get("employment_type", ""))
    data["salary_currency"] = cells.get("salary_currency", "")
    data["salary_interval"] = cells.get("salary_interval", "")
    via = cells.get("applied_via", "")
    data["applied_via"] = via if via in AppliedVia.values else ""
    for name in ("salary_min", "salary_max"):
        data[name] = _parse_decimal(cells.get(name, ""), name, errors)
    for name in ("date_posted", "valid_through", "applied_on", "follow_up_on"):
        data[name] = _parse_date(cells.get(name, ""), name, errors)
    for name in ("archived_at", "created_at", "updated_at"):
        data[name] = _parse_datetime(cells.get(name, ""), name, errors)
    row.channel, row.board = _origin(cells)
    row.board_id = unformula(cells.get("board_id", ""))
    row.stage = _stage_of(cells.get("stage", ""), errors, own)
    row.tags = _parse_tags(unformula(cells.get("tags", "")), errors)
    row.notes = dated_entries(data["notes"])
    raw_history = cells.get("stage_history", "").strip()
    if raw_history:
        row.history = _parse_history(raw_history, errors, set((own or {}).values()))
        if row.history and row.history[-1][1] != row.stage:
            errors.append("stage_history: the last move does not end in the job's stage.")
    return row


def _parse_history(raw: str, errors: list[str], own_keys: set[str] | None = None) -> list | None:
    known = set(Stage.values) | (own_keys or set())
    try:
        items = json.loads(raw)
    except (ValueError, RecursionError):  # 100,000 "[" nest deeper than the parser goes
        errors.append("stage_history: not the history JobTrax writes.")
        return None
    history = []
    if not isinstance(items, list) or len(items) > 500:
        errors.append("stage_history: not the history JobTrax writes.")
        return None
    for item in items:
        if (
            not isinstance(item, list)
            or len(item) != 3
            or not all(isinstance(part, str) for part in item)
            or (item[0] and item[0] not in known)
            or item[1] not in known
        ):
            errors.append("stage_history: not the history JobTrax writes.")
            return None
        at = _parse_datetime(item[2], "stage_history", errors)
        if at is None:
            return None
        history.append((item[0], item[1], at))
    return history


def _generic_row(
    number: int, cells: dict[str, str], columns: dict[str, str], own: dict[str, str] | None = None
) -> Row:
    row = Row(number=number)
    data, errors = row.data, row.errors

    def cell(name: str) -> str:
        header = columns.get(name)
        return cells.get(header, "") if header else ""

    for name in ("title", "company", "url", "notes", "location"):
        data[name] = unformula(cell(name))
    data["applied_on"] = _parse_date(cell("applied_on"), "date applied", errors)
    data["valid_through"] = _parse_date(cell("valid_through"), "deadline", errors)
    data["follow_up_on"] = _parse_date(cell("follow_up_on"), "follow-up", errors)
    _parse_salary(cell("salary"), data, errors)
    row.stage = _stage_of(cell("stage"), errors, own)
    row.tags = _parse_tags(unformula(cell("tags")), errors)
    return row


def _parse_tags(text: str, errors: list[str]) -> list[str]:
    try:
        return parse_names(text)
    except ValidationError as exc:
        errors.extend(f"tags: {message}" for message in exc.message_dict["tags"])
        return []


def _origin(cells: dict) -> tuple[str, str]:
    """The channel and board of a row. A file from before the two were split has a `source`
    column instead: a way in (manual, link, ...) or the board a link was read from."""
    channel = cells.get("channel", "").strip()
    board = unformula(cells.get("board", "")).strip()[:BOARD_MAX]
    legacy = cells.get("source", "").strip()
    if not channel and legacy:
        if channels.is_channel(legacy):
            channel = legacy
        else:
            channel, board = "link", board or legacy[:BOARD_MAX]
    return (channel if channels.is_channel(channel) else "csv"), board


def _validate(row: Row, user, seen: dict[str, int]) -> None:
    """Check a row the way job_create would, without writing it."""
    if row.errors:
        return
    job = Job(
        user=user, channel=row.channel, board=row.board, board_id=row.board_id, stage=row.stage
    )
    values = services._values(row.data, POSTING_FIELDS + TRACKING_FIELDS)
    for name, value in values.items():
        setattr(job, name, value)
    if not job.title:
        row.errors.append("title: every job needs a title.")
        return
    try:
        services._validate(job)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            row.errors.extend(f"{name}: {message}" for message in messages)
        return
    key = url_key(job.url) or (f"{row.board}:{row.board_id}" if row.board_id else "")
    if key:
        if key in seen:
            row.skip = f"the same job as row {seen[key]}"
            return
        seen[key] = row.number
    existing = services.job_find_duplicate(
        user=user, url=job.url, board=row.board, board_id=row.board_id
    )
    if existing is not None:
        row.skip = "already tracked"


def _name_columns(preview: Preview) -> None:
    """Problems name the file's own column: "column “Link”: Enter a valid URL"."""
    for row in preview.errors:
        named = []
        for problem in row.errors:
            name, sep, message = problem.partition(": ")
            header = preview.columns.get(name)
            if sep and header:
                problem = f"column “{header}”: {message}"
            named.append(problem)
        row.errors = named


def import_preview(*, user, upload) -> Preview:
    """Read and check a whole file; keep it for PREVIEW_SECONDS for the confirmation."""
    text = _decode(upload)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise CsvRejected("The file has no header row.")
        keys = [_header_key(h) for h in header]
        records = []
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            if len(records) >= MAX_ROWS:
                raise CsvRejected(f"The file has more than {MAX_ROWS:,} rows. Split it up.")
            records.append(cells)
    except csv.Error as exc:
        raise CsvRejected(f"The file is not valid CSV ({exc}).") from None
    if not records:
        raise CsvRejected("The file has a header but no rows.")
    ours = set(COLUMNS[:3]) <= set(keys) and "stagehistory" in keys
    if ours:
        names = [h.strip() for h in header]
        columns = {name: name for name in COLUMNS + LEGACY_COLUMNS if name in names}
    else:
        columns = {}
        for ours_name, aliases in HEADER_ALIASES.items():
            for original, key in zip(header, keys, strict=True):
                if key in aliases and ours_name not in columns:
                    columns[ours_name] = original
        if "title" not in columns:
            raise CsvRejected(
                "No column for the job title. Name one “Title” or “Position” (and, if you "
                "have them, “Company”, “URL”, “Status”, “Date applied”, “Notes”, “Salary”)."
            )
    rows = []
    seen: dict[str, int] = {}
    own = _own_stages(user)
    for index, cells in enumerate(records, start=2):
        named = {(h.strip() if ours else h): (c or "") for h, c in zip(header, cells, strict=False)}
        row = _jobtrax_row(index, named, own) if ours else _generic_row(index, named, columns, own)
        _validate(row, user, seen)
        rows.append(row)
    preview = Preview(
        token=str(uuid.uuid4()), kind="jobtrax" if ours else "generic", rows=rows, columns=columns
    )
    _name_columns(preview)
    if preview.ready:
        cache.set(_cache_key(user.pk, preview.token), preview, PREVIEW_SECONDS)
    return preview


def _import_tags(job, names: list[str]) -> None:
    """The row's tags on its job; past the cap on a person's tags the job comes in without
    the new ones."""
    try:
        with transaction.atomic():
            job_set_tags(job=job, names=names)
    except ValidationError:
        known = {t.name.lower() for t in tags_of(job.user_id)}
        job_set_tags(job=job, names=[n for n in names if n.lower() in known])


def _cache_key(user_id: int, token: str) -> str:
    return f"jobs:csv-import:{user_id}:{token}"


def import_confirm(*, user, token: str) -> Imported:
    """Import the good rows of a previewed file. A row that became a duplicate since the
    preview (the same job added meanwhile) is skipped; the others still land."""
    key = _cache_key(user.pk, token)
    preview = cache.get(key)
    if preview is None:
        raise CsvRejected(
            "This preview has expired or was already imported. Upload the file again."
        )
    cache.delete(key)
    count = skipped = 0
    for row in preview.ready:
        try:
            with transaction.atomic():
                job = services.job_create(
                    user=user,
                    data=row.data,
                    channel=row.channel,
                    board=row.board,
                    board_id=row.board_id,
                    stage=row.stage,
                    history=row.history,
                    notes=getattr(row, "notes", None),
                )
                if row.tags:
                    _import_tags(job, row.tags)
        except (services.DuplicateJob, ValidationError):
            skipped += 1
        else:
            count += 1
    return Imported(count=count, skipped=skipped)
