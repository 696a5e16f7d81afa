"""The work-search record's page, its CSV and PDF, and the quick entry of an application."""

from __future__ import annotations

from datetime import datetime, time
from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from jobs import services, worksearch
from jobs.models import Stage
from jobs.worksearch_forms import OutsideApplicationForm, WorkSearchForm


@login_required
@require_http_methods(["GET", "POST"])
def work_search(request: HttpRequest) -> HttpResponse:
    """GET shows the record on the page (no name); POST downloads it as a CSV or a PDF, with
    the name typed in the form (the name is in the request body, never in a URL)."""
    if request.method == "POST":
        form = WorkSearchForm(request.POST)
    else:
        form = WorkSearchForm(request.GET or WorkSearchForm.this_month())
    wanted = request.POST.get("format", "") if request.method == "POST" else ""
    rows, layout = None, None
    status = HTTPStatus.OK
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        layout = worksearch.LAYOUTS[data["layout"]]
        rows = worksearch.entries(
            request.user, start=data["start"], end=data["end"], layout=layout.code
        )
        stem = f"work-search-{data['start']:%Y-%m-%d}-{data['end']:%Y-%m-%d}-{layout.code}"
        if wanted == "csv":
            response = HttpResponse(
                worksearch.as_csv(rows, layout), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
            return response
        if wanted == "pdf":
            body = worksearch.as_pdf(
                rows,
                layout,
                name=data["name"] or "",
                start=data["start"],
                end=data["end"],
                paper=data["paper"],
            )
            response = HttpResponse(body, content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{stem}.pdf"'
            return response
    elif form.is_bound:
        status = HTTPStatus.BAD_REQUEST
    return render(
        request,
        "jobs/work_search.html",
        {
            "form": form,
            "rows": rows,
            "layout": layout,
            "outside_form": OutsideApplicationForm(),
            "cells": [worksearch.cells(row, layout) for row in rows] if rows else [],
        },
        status=status,
    )


@login_required
@require_POST
def outside_application(request: HttpRequest) -> HttpResponse:
    form = OutsideApplicationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        at = timezone.make_aware(datetime.combine(data["applied_on"], time(12, 0)))
        try:
            services.job_create(
                user=request.user,
                data={
                    "title": data["title"],
                    "company": data["company"],
                    "applied_on": data["applied_on"],
                    "applied_via": data["applied_via"],
                    "created_at": at,
                },
                stage=Stage.APPLIED,
                history=[("", Stage.APPLIED, at)],
            )
        except (ValidationError, services.DuplicateJob):
            messages.error(request, "That application could not be added; check its fields.")
        else:
            messages.success(request, "The application is added to your record and your board.")
            return redirect("jobs:work_search")
    return render(
        request,
        "jobs/work_search.html",
        {
            "form": WorkSearchForm(WorkSearchForm.this_month()),
            "rows": None,
            "outside_form": form,
        },
        status=HTTPStatus.BAD_REQUEST,
    )
