"""The writing assistant on a job page: help with the person's own text for that job.

What is sent is built here, once, for both the preview and the send, so the page shows exactly
what will go: the person's text, and the posting's description only if they ticked it.
Nothing is stored.
"""

from django import forms
from django.conf import settings

from assistant import services as assistant
from jobs.models import Job
from jobs.sanitize import description_text


class JobAssistantForm(forms.Form):
    task = forms.ChoiceField(
        label="What to do",
        choices=[(key, label) for key, (label, _) in assistant.TASKS.items()],
    )
    text = forms.CharField(
        label="Your text for this job",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="For example your cover note or an answer to an application question. "
        "Leave out anything sensitive.",
    )
    include_description = forms.BooleanField(
        label="Also send the posting's description, for context", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].max_length = settings.AI_MAX_INPUT_CHARS


def text_to_send(*, job: Job, text: str, include_description: bool) -> str:
    text = text.strip()
    if include_description and job.description:
        return f"{text}\n\nThe job posting this is for:\n{description_text(job.description)}"
    return text
