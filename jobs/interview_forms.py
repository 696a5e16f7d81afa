"""Forms of the interviews, the calendar feed and the person's time zone and discreet mode."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from django import forms

from jobs.models import (
    CONTACT_NOTES_MAX,
    CONTACT_TEXT_MAX,
    INTERVIEW_NOTES_MAX,
    INTERVIEW_TEXT_MAX,
    InterviewKind,
    InterviewOutcome,
)
from jobs.validators import EARLIEST_DATE, LATEST_DATE, time_zone_choices

_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]


class LocalDateTimeField(forms.DateTimeField):
    """A date and time typed in the person's time zone (the form's `tz`), made aware."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", _FORMATS)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()[:40]
            for fmt in _FORMATS:
                try:
                    return datetime.strptime(value, fmt)  # noqa: DTZ007 - made aware below
                except ValueError:
                    continue
            if value:
                raise forms.ValidationError(
                    "Enter a date and time, such as 2026-12-10 14:00.", code="invalid"
                )
            return None
        return super().to_python(value)


class InterviewForm(forms.Form):
    kind = forms.ChoiceField(choices=InterviewKind.choices, initial=InterviewKind.VIDEO)
    starts_at = LocalDateTimeField(label="Starts")
    ends_at = LocalDateTimeField(label="Ends", required=False)
    where = forms.CharField(
        label="Where (an address or a link)", max_length=INTERVIEW_TEXT_MAX, required=False
    )
    with_whom = forms.CharField(label="With whom", max_length=INTERVIEW_TEXT_MAX, required=False)
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=INTERVIEW_NOTES_MAX, required=False
    )
    outcome = forms.ChoiceField(choices=InterviewOutcome.choices, required=False)

    def __init__(self, *args, tz: zoneinfo.ZoneInfo, **kwargs):
        self.tz = tz
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].help_text = f"In your time zone, {tz.key}."

    def _aware(self, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        if not (EARLIEST_DATE <= value.date() <= LATEST_DATE):
            raise forms.ValidationError("Enter a date between 1990 and 2100.")
        if value.tzinfo is None:
            value = value.replace(tzinfo=self.tz)
        return value.astimezone(zoneinfo.ZoneInfo("UTC"))

    def clean_starts_at(self):
        return self._aware(self.cleaned_data.get("starts_at"))

    def clean_ends_at(self):
        return self._aware(self.cleaned_data.get("ends_at"))

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", "The end must be after the start.")
        return data

    @classmethod
    def initial_from(cls, interview, tz) -> dict:
        return {
            "kind": interview.kind,
            "starts_at": interview.starts_at.astimezone(tz).replace(tzinfo=None),
            "ends_at": interview.ends_at.astimezone(tz).replace(tzinfo=None)
            if interview.ends_at
            else None,
            "where": interview.where,
            "with_whom": interview.with_whom,
            "notes": interview.notes,
            "outcome": interview.outcome,
        }


class ScheduleSettingsForm(forms.Form):
    time_zone = forms.ChoiceField(
        label="Your time zone",
        choices=time_zone_choices,
        help_text="Interview times are shown, and reminded, in this time zone.",
    )
    discreet = forms.BooleanField(
        label="Discreet mode",
        required=False,
        help_text="Leave employer names and job titles out of reminder emails and calendar "
        "feeds (“Interview, 14:00”), for when others can see your inbox or calendar.",
    )


class FeedForm(forms.Form):
    discreet = forms.BooleanField(
        label="Discreet feed: no employer names or job titles",
        required=False,
    )


class ContactForm(forms.Form):
    name = forms.CharField(max_length=CONTACT_TEXT_MAX)
    role = forms.CharField(max_length=CONTACT_TEXT_MAX, required=False)
    how_to_reach = forms.CharField(
        label="How to reach them", max_length=CONTACT_TEXT_MAX, required=False
    )
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=CONTACT_NOTES_MAX, required=False
    )
