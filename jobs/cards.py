"""Board cards, built in Python from plain rows: the board of a busy job search holds hundreds
of them, and model instances and a template loop would spend most of the page's time on them."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from html import escape

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from jobs.models import Stage, salary_text, stage_label

# The columns of the board query, in order (see selectors.board).
CARD_FIELDS = (
    "pk",
    "title",
    "company",
    "location",
    "stage",
    "stage_changed_at",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_interval",
    "follow_up_on",
    "valid_through",
    # Not shown on the card: the ghosting nudge reads them from the same rows.
    "updated_at",
    "ghosting_dismissed_at",
)
DEADLINE_SOON_DAYS = 3


@lru_cache(maxsize=64)
def _options(current: str, choices: tuple[tuple[str, str], ...] | None = None) -> str:
    choices = choices or tuple(Stage.choices)
    if current not in {value for value, _ in choices}:
        choices = ((current, stage_label(current)), *choices)
    return "".join(
        f'<option value="{escape(value)}"{" selected" if value == current else ""}>'
        f"{escape(label)}</option>"
        for value, label in choices
    )


def tag_chips(tags, base: str) -> str:
    """The tags of a job as links filtering `base` (the board or the list) by each."""
    if not tags:
        return ""
    items = "".join(
        f'<li><a class="tag" href="{escape(base)}?tag={int(tag_id)}">{escape(name)}</a></li>'
        for tag_id, name in tags
    )
    return f'<ul class="tag-list" aria-label="Tags">{items}</ul>'


@lru_cache(maxsize=1)
def _board_path() -> str:
    return reverse("jobs:board")


@lru_cache(maxsize=1)
def _paths() -> tuple[str, str]:
    detail = reverse("jobs:detail", args=[0]).replace("/0/", "/{pk}/")
    move = reverse("jobs:move", args=[0]).replace("/0/", "/{pk}/")
    return detail, move


def card(row: tuple, *, today: date, csrf_token: str, tz, choices=None, interview=None,
         person_tz=None) -> str:  # fmt: skip
    (pk, title, company, location, stage, changed_at, low, high, currency, interval,
     follow_up_on, valid_through) = row[:12]  # fmt: skip
    detail, move = _paths()
    tags = row[len(CARD_FIELDS)] if len(row) > len(CARD_FIELDS) else ()
    chips = tag_chips([(t["id"], t["name"]) for t in tags or ()], _board_path())
    title = escape(title)
    salary = salary_text(low, high, currency, interval)
    facts = " · ".join(escape(v) for v in (location, salary) if v)
    days = max(0, (today - changed_at.astimezone(tz).date()).days)
    badges = ""
    if follow_up_on is not None and follow_up_on <= today:
        badges += ' <span class="badge badge-due">Follow up due</span>'
    if (
        valid_through is not None
        and stage == Stage.SAVED
        and valid_through <= today + timedelta(days=DEADLINE_SOON_DAYS)
    ):
        word = "passed" if valid_through < today else "soon"
        badges += f' <span class="badge badge-deadline">Deadline {word}</span>'
    if interview is not None:
        when = interview.starts_at.astimezone(person_tz or tz)
        badges += f' <span class="badge badge-interview">Interview {when:%a %d %b, %H:%M}</span>'
    return (
        f'<li class="job-card" id="job-{pk}" data-job="{pk}">'
        f'<h3 class="job-card-title"><a href="{detail.format(pk=pk)}">{title}</a></h3>'
        + (f'<p class="job-card-company">{escape(company)}</p>' if company else "")
        + (f'<p class="job-card-meta">{facts}</p>' if facts else "")
        + f'<p class="job-card-meta">{days} day{"" if days == 1 else "s"} in this stage'
        f"{badges}</p>"
        f"{chips}"
        f'<form method="post" action="{move.format(pk=pk)}" class="move-form">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{csrf_token}">'
        f'<label class="visually-hidden" for="move-{pk}">Move “{title}” to</label>'
        f'<select name="stage" id="move-{pk}">{_options(stage, choices)}</select> '
        '<button type="submit" class="button-small">Move</button></form></li>'
    )


def cards(rows: list[tuple], *, today: date, csrf_token: str, choices=None, interviews=None,
          person_tz=None) -> SafeString:  # fmt: skip
    """`choices`: the person's stages as (key, name) pairs; the built-in ones by default.
    `interviews`: the next interview of each job (jobs.interviews.next_by_job), shown in
    `person_tz`."""
    interviews = interviews or {}
    token = escape(str(csrf_token))
    tz = timezone.get_current_timezone()
    choices = tuple(choices) if choices else None
    html = "".join(
        card(row, today=today, csrf_token=token, tz=tz, choices=choices,
             interview=interviews.get(row[0]), person_tz=person_tz)
        for row in rows
    )  # fmt: skip
    return mark_safe(html)  # noqa: S308 - every value from the row is escaped in card()
