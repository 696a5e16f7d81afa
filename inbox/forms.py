from django import forms

from jobs.models import TITLE_MAX


class NewJobForm(forms.Form):
    title = forms.CharField(max_length=TITLE_MAX, label="Job title")
    company = forms.CharField(max_length=TITLE_MAX, required=False, label="Employer")


class PickJobForm(forms.Form):
    job = forms.TypedChoiceField(coerce=int, label="Your job")

    def __init__(self, *args, jobs=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["job"].choices = [
            (job.pk, f"{job.title}{' — ' + job.company if job.company else ''}") for job in jobs
        ]
