"""JobTrax API, version 1 (`/api/v1/`), built on django-ninja.

Why django-ninja: the API is small and typed. Ninja derives validation and the OpenAPI 3
document from the same type hints (pydantic models), with function views like the rest of
JobTrax, and no serializer and viewset layers to keep beside the service functions. Every write
calls the tracker's or the importer's service function; the job form validates input, so the
API accepts exactly what the "Add a job" page accepts.

Auth is a bearer token only (see api/services.py); no session cookie is accepted, so no
cross-site request can use a signed-in person's session.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import date, datetime
from decimal import Decimal
from http import HTTPStatus
from typing import Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import NinjaAPI, Query, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from pydantic import Field

from api import channels
from api.models import ApiToken
from api.problems import Problem, problem_response
from api.ratelimit import quota_take
from api.services import token_authenticate
from importer import services as importer
from importer.models import ImportPreview
from jobs import notes, selectors
from jobs import services as jobs
from jobs.forms import JobForm, employment_type_value
from jobs.models import Job, Stage

MAX_PAGE = 200
SUMMARY_COLUMNS = (
    "id",
    "title",
    "company",
    "location",
    "workplace",
    "stage",
    "stage_changed_at",
    "url",
    "follow_up_on",
    "archived_at",
    "updated_at",
)


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = token_authenticate(token)
        if found is None:
            return None
        request.api_quota = quota = quota_take(found.pk)
        if quota.exceeded:
            raise Problem(
                HTTPStatus.TOO_MANY_REQUESTS,
                f"This token made more than {quota.limit} requests in a minute. "
                f"Try again in {quota.reset} seconds.",
            )
        return found


api = NinjaAPI(
    title="JobTrax API",
    version="1",
    description="Your job tracker over HTTP. Authenticate with a personal access token made "
    "on “Connected apps”: `Authorization: Bearer jtx_…`. Errors are RFC 9457 problem details. "
    "A job's `notes` are dated entries: a list of {body, written_at}, newest first (they were "
    "one text before); `notes` sent with a new job becomes its first entry.",
    auth=BearerToken(),
    urls_namespace="api-v1",
    docs_url=None,
)


# Errors ----------------------------------------------------------------------------------------


@api.exception_handler(Problem)
def _problem(request, exc: Problem):
    return problem_response(request, exc.status, exc.detail, **exc.extra)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return problem_response(
        request,
        HTTPStatus.UNAUTHORIZED,
        "Send a valid, unexpired and unrevoked token: Authorization: Bearer <token>.",
    )


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc: NinjaValidationError):
    def field(loc) -> str:
        parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload")]
        return ".".join(parts)

    errors = [{"field": field(e.get("loc", ())), "message": e.get("msg", "")} for e in exc.errors]
    return problem_response(
        request, HTTPStatus.UNPROCESSABLE_ENTITY, "The request is not valid.", errors=errors
    )


@api.exception_handler(Http404)
def _not_found(request, exc):
    return problem_response(request, HTTPStatus.NOT_FOUND, "There is nothing here.")


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return problem_response(request, exc.status_code, str(exc))


def _form_problem(form_errors: dict) -> Problem:
    errors = [
        {"field": field if field != "__all__" else "", "message": str(message)}
        for field, messages in form_errors.items()
        for message in messages
    ]
    return Problem(HTTPStatus.UNPROCESSABLE_ENTITY, "The job is not valid.", errors=errors)


def _require(request: HttpRequest, scope: str, *, write: bool = False) -> ApiToken:
    token: ApiToken = request.auth
    if not token.has_scope(scope):
        raise Problem(HTTPStatus.FORBIDDEN, f"This token lacks the “{scope}” scope.")
    if write and token.user.processing_restricted:
        raise Problem(
            HTTPStatus.FORBIDDEN,
            "Processing of your data is restricted: the API can read your jobs, not change them.",
        )
    return token


def _channel(token: ApiToken) -> str:
    return channels.EXTENSION if token.client == ApiToken.Client.EXTENSION else channels.API


# Schemas ---------------------------------------------------------------------------------------


StageName = Literal[tuple(Stage.values)]  # type: ignore[valid-type]


class JobSummary(Schema):
    id: int
    title: str
    company: str
    location: str
    workplace: str
    stage: str
    stage_changed_at: datetime
    url: str
    follow_up_on: date | None
    archived: bool
    updated_at: datetime
    link: str

    @staticmethod
    def resolve_archived(obj: Job) -> bool:
        return obj.archived_at is not None

    @staticmethod
    def resolve_link(obj: Job) -> str:
        return reverse("jobs:detail", args=[obj.pk])


class NoteOut(Schema):
    body: str
    written_at: datetime


class JobOut(JobSummary):
    employment_type: str
    salary_min: Decimal | None
    salary_max: Decimal | None
    salary_currency: str
    salary_interval: str
    apply_url: str
    date_posted: date | None
    valid_through: date | None
    description: str
    applied_on: date | None
    notes: list[NoteOut] = Field(description="The job's dated notes, newest first.")
    channel: str
    board: str
    board_id: str
    created_at: datetime

    @staticmethod
    def resolve_notes(obj: Job) -> list:
        return notes.notes_of_job(obj)


class JobPage(Schema):
    items: list[JobSummary]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page.")


class JobIn(Schema):
    title: str | None = None
    company: str | None = None
    location: str | None = None
    workplace: str | None = None
    employment_type: str | None = None
    salary_min: Decimal | None = None
    salary_max: Decimal | None = None
    salary_currency: str | None = None
    salary_interval: str | None = None
    description: str | None = None
    url: str | None = None
    apply_url: str | None = None
    date_posted: date | None = None
    valid_through: date | None = None
    applied_on: date | None = None
    follow_up_on: date | None = None
    notes: str | None = Field(
        None,
        description="On a new job, its first dated note; on a change, a new dated note added "
        "to the job's notes.",
    )


class JobCreate(JobIn):
    title: str
    stage: StageName = "saved"


class MoveIn(Schema):
    stage: StageName


class MoveOut(Schema):
    from_stage: str
    to_stage: str
    changed_at: datetime


class NotesIn(Schema):
    notes: str


class NoteIn(Schema):
    body: str


class ReminderIn(Schema):
    follow_up_on: date | None = Field(..., description="The follow-up day; null clears it.")


class Capture(Schema):
    """What the extension or the bookmarklet reads from the page the person clicked on."""

    url: str
    title: str | None = None
    canonical: str | None = None
    jsonld: list[str] = []
    og: dict[str, str] = {}
    selection: str | None = None


class ImportIn(Schema):
    """One of: `url` (a link to read), `content` (a pasted page or its text, with an optional
    `url`), or `capture` (what the extension captured)."""

    url: str | None = None
    content: str | None = Field(None, max_length=500_000)
    capture: Capture | None = None


class Tracked(Schema):
    id: int
    stage: str
    stage_label: str
    link: str


class PostingOut(Schema):
    title: str | None = None
    company: str | None = None
    location: str | None = None
    workplace: str | None = None
    employment_type: str | None = None
    salary_min: float | None = None
    salary_max: float | None = None
    salary_currency: str | None = None
    salary_interval: str | None = None
    url: str | None = None
    apply_url: str | None = None
    date_posted: str | None = None
    valid_through: str | None = None
    description: str | None = None
    already_tracked: Tracked | None = None


class PreviewOut(Schema):
    id: str
    status: str
    error: str | None = None
    postings: list[PostingOut] = []


class ConfirmIn(JobIn):
    posting: int = 0
    stage: StageName | None = None
    update: bool = Field(
        False, description="Update the job that already tracks this posting instead."
    )


# Helpers ---------------------------------------------------------------------------------------


def _own_job(request: HttpRequest, job_id: int) -> Job:
    """The token owner's job; anyone else's is a 404, never a 403 that confirms it."""
    return get_object_or_404(Job, pk=job_id, user=request.auth.user)


def _form_data(values: dict) -> dict:
    data = {"workplace": "unknown"}
    for name, value in values.items():
        if name == "workplace" and not value:
            continue
        if value is None:
            data[name] = ""
        elif name == "employment_type":
            data[name] = employment_type_value(value)
        elif isinstance(value, date | Decimal):
            data[name] = str(value)
        else:
            data[name] = value
    return data


def _clean(values: dict) -> dict:
    """Validate with the "Add a job" form; a Problem listing each field's error otherwise."""
    form = JobForm(data=_form_data(values))
    if not form.is_valid():
        raise _form_problem(form.errors)
    return form.job_data()


def _current(job: Job) -> dict:
    return {name: getattr(job, name) for name in jobs.POSTING_FIELDS + jobs.TRACKING_FIELDS}


def _write(call):
    try:
        return call()
    except jobs.DuplicateJob as exc:
        existing = exc.existing
        raise Problem(
            HTTPStatus.CONFLICT,
            "You already track this job.",
            existing={"id": existing.pk, "link": reverse("jobs:detail", args=[existing.pk])},
        ) from None
    except DjangoValidationError as exc:
        raise _form_problem(
            exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        ) from None


def _cursor(value: str | None) -> int | None:
    if not value:
        return None
    try:
        return int(base64.urlsafe_b64decode(value.encode() + b"==").decode())
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise Problem(HTTPStatus.BAD_REQUEST, "That cursor is not one this API gave.") from None


def _next_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(str(pk).encode()).decode().rstrip("=")


# Jobs ------------------------------------------------------------------------------------------

router = Router(tags=["jobs"])


@router.get("/jobs", response=JobPage, summary="List your jobs")
def job_list(
    request,
    q: str = Query(
        "",
        max_length=200,
        description="Words in the title, company, location, notes or description",
    ),
    stage: StageName | None = None,
    workplace: str = Query("", max_length=10),
    archived: Literal["live", "only", "all"] = "live",
    cursor: str | None = Query(None, max_length=40),
    limit: int = Query(50, ge=1, le=MAX_PAGE),
):
    """Newest first, `limit` at a time; follow `next_cursor` for the next page."""
    _require(request, "jobs:read")
    rows = selectors.job_list(
        request.auth.user, q=q, stage=stage or "", workplace=workplace, archived=archived
    ).order_by("-pk")
    after = _cursor(cursor)
    if after is not None:
        rows = rows.filter(pk__lt=after)
    # Plain rows, encoded once: a page of 200 through the schema's per-attribute validation
    # cost three times the board page's render; the shape is the JobPage schema's.
    items = list(rows.values(*SUMMARY_COLUMNS)[: limit + 1])
    more = len(items) > limit
    items = items[:limit]
    link = reverse("jobs:detail", args=[0])[:-2]  # "/jobs/"
    for item in items:
        item["archived"] = item.pop("archived_at") is not None
        item["link"] = f"{link}{item['id']}/"
    body = {"items": items, "next_cursor": _next_cursor(items[-1]["id"]) if more else None}
    return HttpResponse(json.dumps(body, cls=DjangoJSONEncoder), content_type="application/json")


@router.post("/jobs", response={201: JobOut}, summary="Add a job")
def job_create(request, payload: JobCreate):
    token = _require(request, "jobs:write", write=True)
    values = _clean(payload.dict(exclude={"stage"}))
    job = _write(
        lambda: jobs.job_create(
            user=token.user, data=values, channel=_channel(token), stage=payload.stage
        )
    )
    return Status(201, job)


@router.get("/jobs/{int:job_id}", response=JobOut, summary="Read a job")
def job_read(request, job_id: int):
    _require(request, "jobs:read")
    return _own_job(request, job_id)


@router.patch("/jobs/{int:job_id}", response=JobOut, summary="Change a job")
def job_update(request, job_id: int, payload: JobIn):
    """Only the fields sent change; the stage changes through the job's moves."""
    _require(request, "jobs:write", write=True)
    job = _own_job(request, job_id)
    sent = payload.dict(exclude_unset=True)
    cleaned = _clean({**_current(job), **sent})
    new_note = cleaned.pop("notes", "") if "notes" in sent else ""

    def change() -> Job:
        with transaction.atomic():
            changed = jobs.job_update(job=job, data={k: cleaned[k] for k in sent if k in cleaned})
            if new_note:
                notes.note_add(job=changed, body=new_note)
        return changed

    return _write(change)


@router.delete("/jobs/{int:job_id}", response={204: None}, summary="Delete a job")
def job_delete(request, job_id: int):
    _require(request, "jobs:write", write=True)
    jobs.job_delete(job=_own_job(request, job_id))
    return Status(204, None)


@router.get("/jobs/{int:job_id}/moves", response=list[MoveOut], summary="A job's stage history")
def move_list(request, job_id: int):
    _require(request, "jobs:read")
    return selectors.job_history(_own_job(request, job_id))


@router.post("/jobs/{int:job_id}/moves", response={201: JobOut}, summary="Move a job")
def move_create(request, job_id: int, payload: MoveIn):
    _require(request, "jobs:write", write=True)
    job = _own_job(request, job_id)
    _write(lambda: jobs.job_move(job=job, stage=payload.stage))
    return Status(201, job)


@router.put("/jobs/{int:job_id}/notes", response=JobOut, summary="Replace a job's notes")
def notes_set(request, job_id: int, payload: NotesIn):
    """The job's notes become one dated note with this text (none when it is empty). To keep
    the notes and add one, POST to the same path."""
    _require(request, "jobs:write", write=True)
    job = _own_job(request, job_id)
    cleaned = _clean({**_current(job), "notes": payload.notes})
    _write(lambda: notes.notes_replace(job=job, body=cleaned["notes"]))
    return job


@router.post("/jobs/{int:job_id}/notes", response={201: NoteOut}, summary="Add a note to a job")
def note_create(request, job_id: int, payload: NoteIn):
    """A dated note, written now, added to the job's notes."""
    _require(request, "jobs:write", write=True)
    job = _own_job(request, job_id)
    cleaned = _clean({**_current(job), "notes": payload.body})
    if not cleaned["notes"]:
        raise _form_problem({"body": ["Write something in the note."]})
    try:
        note = notes.note_add(job=job, body=cleaned["notes"])
    except notes.TooManyNotes as exc:
        raise Problem(HTTPStatus.CONFLICT, str(exc)) from None
    return Status(201, note)


@router.put("/jobs/{int:job_id}/reminder", response=JobOut, summary="Set a follow-up reminder")
def reminder_set(request, job_id: int, payload: ReminderIn):
    """On the follow-up day, JobTrax emails a reminder (if reminders are on)."""
    _require(request, "jobs:write", write=True)
    job = _own_job(request, job_id)
    cleaned = _clean({**_current(job), "follow_up_on": payload.follow_up_on})
    return _write(lambda: jobs.job_set_follow_up(job=job, follow_up_on=cleaned["follow_up_on"]))


# Imports ---------------------------------------------------------------------------------------

imports = Router(tags=["imports"])


def _own_preview(request: HttpRequest, preview_id) -> ImportPreview:
    return get_object_or_404(
        ImportPreview,
        pk=preview_id,
        owner=request.auth.user,
        created_at__gte=importer.preview_cutoff(),
    )


def _tracked(user, preview: ImportPreview, posting) -> Job | None:
    initial = importer.form_initial(preview, posting)
    return jobs.job_find_duplicate(
        user=user, url=posting.url, board=initial["board"], board_id=initial["board_id"]
    )


def _preview_out(request: HttpRequest, preview: ImportPreview) -> dict:
    out = {"id": str(preview.pk), "status": preview.status, "postings": []}
    if preview.status == ImportPreview.Status.FAILED:
        out["error"] = importer.message_for(preview.error)
    for stored in preview.postings:
        posting = importer.posting_from_stored(stored)
        item = {k: v for k, v in stored.items() if k in PostingOut.model_fields}
        found = _tracked(request.auth.user, preview, posting)
        if found is not None:
            item["already_tracked"] = {
                "id": found.pk,
                "stage": found.stage,
                "stage_label": found.get_stage_display(),
                "link": reverse("jobs:detail", args=[found.pk]),
            }
        out["postings"].append(item)
    return out


@imports.post("/imports", response={201: PreviewOut}, summary="Preview an import")
def import_preview(request, payload: ImportIn):
    """Read a posting without saving it. A link is read in the background: poll the preview
    until its status is `ready`. Link imports count against the importer's hourly limit."""
    token = _require(request, "import", write=True)
    given = [name for name in ("url", "content", "capture") if getattr(payload, name)]
    try:
        if payload.capture is not None:
            preview = importer.preview_from_capture(
                user=token.user, data={"v": 1, **payload.capture.dict()}
            )
        elif payload.content:
            preview = importer.preview_from_page(
                user=token.user, content=payload.content, url=payload.url or ""
            )
        elif given == ["url"]:
            preview = importer.preview_start_link(user=token.user, url=payload.url)
        else:
            raise Problem(
                HTTPStatus.UNPROCESSABLE_ENTITY, "Send one of `url`, `content` or `capture`."
            )
    except importer.ImportRefused as exc:
        status = (
            HTTPStatus.TOO_MANY_REQUESTS
            if exc.code == "rate_limited"
            else HTTPStatus.UNPROCESSABLE_ENTITY
        )
        raise Problem(status, exc.message, code=exc.code) from None
    preview.refresh_from_db()
    return Status(201, _preview_out(request, preview))


@imports.get("/imports/{uuid:preview_id}", response=PreviewOut, summary="Read a preview")
def import_read(request, preview_id):
    _require(request, "import")
    return _preview_out(request, _own_preview(request, preview_id))


@imports.post(
    "/imports/{uuid:preview_id}/confirm", response={201: JobOut}, summary="Save an import"
)
def import_confirm(request, preview_id, payload: ConfirmIn):
    """Save one posting of the preview as a job, with any field changed; or, with
    `update: true`, write it into the job that already tracks it."""
    token = _require(request, "import", write=True)
    preview = _own_preview(request, preview_id)
    if preview.status != ImportPreview.Status.READY:
        raise Problem(HTTPStatus.CONFLICT, "The preview is not ready.", status_now=preview.status)
    postings = [importer.posting_from_stored(p) for p in preview.postings]
    if not 0 <= payload.posting < len(postings):
        raise Problem(HTTPStatus.UNPROCESSABLE_ENTITY, "No posting has that number.")
    posting = postings[payload.posting]
    sent = payload.dict(exclude_unset=True, exclude={"posting", "stage", "update"})
    initial = {k: v for k, v in importer.form_initial(preview, posting).items()}
    stage = payload.stage or ""
    if payload.update:
        existing = _tracked(token.user, preview, posting)
        if existing is None:
            raise Problem(HTTPStatus.NOT_FOUND, "No job tracks this posting yet.")
        cleaned = _clean({**_current(existing), **sent})
        job = _write(
            lambda: importer.preview_confirm_into(
                preview=preview,
                data={k: cleaned[k] for k in sent},
                job=existing,
                stage=stage,
            )
        )
        return Status(201, job)
    cleaned = _clean({**initial, **sent})
    job = _write(
        lambda: importer.preview_confirm(
            preview=preview, data=cleaned, posting=posting, channel=_channel(token), stage=stage
        )
    )
    return Status(201, job)


api.add_router("/", router)
api.add_router("/", imports)
