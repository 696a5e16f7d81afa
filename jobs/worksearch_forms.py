"""Forms of the work-search record and of the quick entry of an application made elsewhere."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone

from jobs.models import TITLE_MAX, AppliedVia
from jobs.validators import EARLIEST_DATE, LATEST_DATE
from jobs.worksearch import LAYOUTS, MAX_DAYS, NAME_MAX


def _date(label: str) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class WorkSearchForm(forms.Form):
    start = _date("From")
    end = _date("To")
    layout = forms.ChoiceField(
        label="Layout", choices=[(code, layout.label) for code, layout in LAYOUTS.items()]
    )
    name = forms.CharField(
        label="Your name, as it should appear on the record",
        max_length=NAME_MAX,
        required=False,
        help_text="Printed on the PDF only; JobTrax does not keep it.",
    )
    paper = forms.ChoiceField(
        label="Paper", choices=[("A4", "A4"), ("Letter", "US Letter")], initial="A4"
    )

    @classmethod
    def this_month(cls) -> dict:
        today = timezone.localdate()
        return {
            "start": today.replace(day=1).isoformat(),
            "end": today.isoformat(),
            "layout": "uk",
            "paper": "A4",
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        for name in ("start", "end"):
            value = data.get(name)
            if value and not (EARLIEST_DATE <= value <= LATEST_DATE):
                self.add_error(name, "Enter a date between 1990 and 2100.")
        if start and end:
            if end < start:
                self.add_error("end", "The end of the period is before its start.")
            elif end - start > timedelta(days=MAX_DAYS):
                self.add_error("end", f"Choose a period of at most {MAX_DAYS} days.")
        return data


class OutsideApplicationForm(forms.Form):
    """An application made outside JobTrax, added in one step."""

    applied_on = _date("Date applied")
    company = forms.CharField(label="Employer", max_length=TITLE_MAX)
    title = forms.CharField(label="Position", max_length=TITLE_MAX)
    applied_via = forms.ChoiceField(label="How you applied", choices=AppliedVia.choices)

    def clean_applied_on(self):
        value = self.cleaned_data["applied_on"]
        if not (EARLIEST_DATE <= value <= LATEST_DATE):
            raise forms.ValidationError("Enter a date between 1990 and 2100.")
        return value
