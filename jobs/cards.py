"""Board cards, built in Python: the board of a busy job search holds hundreds of them, and
a template loop would spend most of the page's time on them."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from jobs.models import Job, Stage


@lru_cache(maxsize=16)
def _options(current: str) -> str:
    return "".join(
        f'<option value="{value}"{" selected" if value == current else ""}>{label}</option>'
        for value, label in Stage.choices
    )


@lru_cache(maxsize=1)
def _paths() -> tuple[str, str]:
    detail = reverse("jobs:detail", args=[0]).replace("/0/", "/{pk}/")
    move = reverse("jobs:move", args=[0]).replace("/0/", "/{pk}/")
    return detail, move


def _badges(job: Job, today: date) -> str:
    badges = []
    if job.follow_up_on is not None and job.follow_up_on <= today:
        badges.append('<span class="badge badge-due">Follow up due</span>')
    if job.deadline_due(today):
        word = "passed" if job.valid_through < today else "soon"
        badges.append(f'<span class="badge badge-deadline">Deadline {word}</span>')
    return " ".join(badges)


def card(job: Job, *, today: date, csrf_token: str) -> str:
    detail, move = _paths()
    pk = job.pk
    title = escape(job.title)
    facts = " · ".join(escape(v) for v in (job.location, job.salary_display) if v)
    days = job.days_in_stage(today)
    return (
        f'<li class="job-card" id="job-{pk}" data-job="{pk}">'
        f'<h3 class="job-card-title"><a href="{detail.format(pk=pk)}">{title}</a></h3>'
        + (f'<p class="job-card-company">{escape(job.company)}</p>' if job.company else "")
        + (f'<p class="job-card-meta">{facts}</p>' if facts else "")
        + f'<p class="job-card-meta">{days} day{"" if days == 1 else "s"} in this stage '
        f"{_badges(job, today)}</p>"
        f'<form method="post" action="{move.format(pk=pk)}" class="move-form">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{csrf_token}">'
        f'<label class="visually-hidden" for="move-{pk}">Move “{title}” to</label>'
        f'<select name="stage" id="move-{pk}">{_options(job.stage)}</select> '
        '<button type="submit" class="button-small">Move</button></form></li>'
    )


def cards(jobs: list[Job], *, today: date, csrf_token: str) -> SafeString:
    return mark_safe("".join(card(job, today=today, csrf_token=escape(csrf_token)) for job in jobs))  # noqa: S308 - every value is escaped above
