"""The job page's dated notes: add, edit and delete one, without JavaScript."""

from __future__ import annotations

from functools import wraps
from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from jobs import interviews, notes
from jobs.forms import NoteForm
from jobs.models import Job, JobNote
from jobs.views import _apply_errors, detail_context, own_job


def _note_view(*methods: str):
    """Views of one note: the owner check first (a 404 for anyone else's), then the method."""

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, note_id: int) -> HttpResponse:
            if note_id > 2**62:
                raise Http404("No such note.")
            note = get_object_or_404(
                JobNote.objects.select_related("job"), pk=note_id, user=request.user
            )
            if request.method not in methods:
                return HttpResponseNotAllowed(methods)
            return view(request, note)

        return login_required(wrapper)

    return decorator


def _back(job: Job) -> HttpResponse:
    return redirect(f"{reverse('jobs:detail', args=[job.pk])}#notes")


@own_job("POST")
def note_add(request: HttpRequest, job: Job) -> HttpResponse:
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            notes.note_add(job=job, body=form.cleaned_data["body"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        except notes.TooManyNotes as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The note is saved.")
            return _back(job)
    return render(
        request,
        "jobs/detail.html",
        detail_context(request, job, note_form=form),
        status=HTTPStatus.BAD_REQUEST,
    )


@_note_view("GET", "POST")
def note_edit(request: HttpRequest, note: JobNote) -> HttpResponse:
    form = NoteForm(request.POST if request.method == "POST" else None, initial={"body": note.body})
    if request.method == "POST" and form.is_valid():
        try:
            notes.note_edit(note=note, body=form.cleaned_data["body"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "The note is saved.")
            return _back(note.job)
    return render(
        request,
        "jobs/note_form.html",
        {"form": form, "note": note, "job": note.job, "tz": interviews.time_zone_of(request.user)},
        status=HTTPStatus.BAD_REQUEST if request.method == "POST" else HTTPStatus.OK,
    )


@_note_view("GET", "POST")
def note_delete(request: HttpRequest, note: JobNote) -> HttpResponse:
    """GET asks to confirm; only the POST deletes."""
    if request.method == "POST":
        notes.note_delete(note=note)
        messages.success(request, "The note is deleted.")
        return _back(note.job)
    return render(
        request,
        "jobs/note_delete.html",
        {"note": note, "job": note.job, "tz": interviews.time_zone_of(request.user)},
    )
