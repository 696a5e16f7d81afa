"""The tracker's forms. JobForm is also what the importer prefills: build it with
JobForm(initial=posting) where posting uses the Job field names."""

from django import forms
from django.db.models import F

from jobs.channels import CHANNEL_MAX, MANUAL, validate_channel
from jobs.currencies import CURRENCY_CHOICES
from jobs.descriptions import description_from_text, description_plain, same_text
from jobs.models import TAG_NAME_MAX, AppliedVia, EmploymentType, Interval, Stage, Workplace
from jobs.posting import (
    BOARD_MAX,
    DESCRIPTION_MAX,
    NOTE_MAX,
    ORIGIN_FIELDS,
    SALARY_LIMIT,
    TITLE_MAX,
    URL_MAX,
    normalise_salary,
    salary_errors,
)
from jobs.sanitize import sanitize_description
from jobs.services import BULK_MAX
from jobs.tags import TAGS_TEXT_MAX, parse_names
from jobs.validators import (
    EARLIEST_DATE,
    LATEST_DATE,
    validate_currency,
    validate_date_in_range,
    validate_web_url,
)

NOTES_HELP = (
    "Only for you. Do not put sensitive personal information here (health, religion, "
    "politics, union membership, sexual orientation, ID numbers): the privacy notice asks "
    "you not to."
)
_EMPLOYMENT_ALIASES = {
    "fulltime": EmploymentType.FULL_TIME,
    "parttime": EmploymentType.PART_TIME,
    "contractor": EmploymentType.CONTRACT,
    "contract": EmploymentType.CONTRACT,
    "temp": EmploymentType.TEMPORARY,
    "temporary": EmploymentType.TEMPORARY,
    "intern": EmploymentType.INTERNSHIP,
    "internship": EmploymentType.INTERNSHIP,
    "volunteer": EmploymentType.VOLUNTEER,
    "perdiem": EmploymentType.PER_DIEM,
    "other": EmploymentType.OTHER,
}


def employment_type_value(value) -> str:
    """An employment type from a form, a CSV or schema.org (FULL_TIME, "Full-time"...)."""
    key = "".join(ch for ch in str(value or "").lower() if ch.isalnum())
    if not key:
        return ""
    if key in {choice.replace("_", "") for choice in EmploymentType.values}:
        return next(c for c in EmploymentType.values if c.replace("_", "") == key)
    return _EMPLOYMENT_ALIASES.get(key, "")


def _date_field(label: str, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        help_text=help_text,
        validators=[validate_date_in_range],
        widget=forms.DateInput(
            attrs={"type": "date", "min": EARLIEST_DATE.isoformat(), "max": LATEST_DATE.isoformat()}
        ),
    )


def _salary_field(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_value=SALARY_LIMIT,
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "any", "min": "0", "inputmode": "decimal"}),
    )


class JobForm(forms.Form):
    """Add or edit a job. Every field has the name of the Job field it fills."""

    title = forms.CharField(label="Job title", max_length=TITLE_MAX)
    company = forms.CharField(label="Company", max_length=TITLE_MAX, required=False)
    location = forms.CharField(
        label="Location (as posted)",
        max_length=TITLE_MAX,
        required=False,
        help_text="Where the job is, as the posting says it.",
    )
    workplace = forms.ChoiceField(
        label="Workplace", choices=Workplace.choices, initial=Workplace.UNKNOWN
    )
    employment_type = forms.ChoiceField(
        label="Employment type",
        choices=[("", "—"), *EmploymentType.choices],
        required=False,
    )
    salary_min = _salary_field("Salary from")
    salary_max = _salary_field("Salary up to")
    salary_currency = forms.ChoiceField(
        label="Currency", choices=CURRENCY_CHOICES, required=False, validators=[validate_currency]
    )
    salary_interval = forms.ChoiceField(
        label="Salary per", choices=[("", "—"), *Interval.choices], required=False
    )
    url = forms.CharField(
        label="Link to the posting",
        max_length=URL_MAX,
        required=False,
        validators=[validate_web_url],
        widget=forms.URLInput(attrs={"inputmode": "url"}),
    )
    apply_url = forms.CharField(
        label="Link to apply",
        max_length=URL_MAX,
        required=False,
        validators=[validate_web_url],
        widget=forms.URLInput(attrs={"inputmode": "url"}),
    )
    date_posted = _date_field("Date posted")
    valid_through = _date_field("Deadline", "The last day to apply, if the posting gives one.")
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=DESCRIPTION_MAX * 2,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Paste the posting's text. A blank line starts a new paragraph; lines "
        "starting with “• ” or “- ” make a list.",
    )
    applied_on = _date_field("Date applied")
    applied_via = forms.ChoiceField(
        label="How you applied",
        choices=[("", "Not said"), *AppliedVia.choices],
        required=False,
        help_text="For your work-search record.",
    )
    follow_up_on = _date_field("Follow-up date", "We email you a reminder on this day.")
    # Only when a job is added: it becomes the job's first dated note (jobs.notes).
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=f"Saved as the job's first dated note. {NOTES_HELP}",
    )
    # Where the job came from: set by the importer, "manual" when typed in (see jobs.channels).
    channel = forms.CharField(
        max_length=CHANNEL_MAX,
        initial=MANUAL,
        required=False,
        widget=forms.HiddenInput,
        validators=[validate_channel],
    )
    board = forms.CharField(max_length=BOARD_MAX, required=False, widget=forms.HiddenInput)
    board_id = forms.CharField(max_length=TITLE_MAX, required=False, widget=forms.HiddenInput)

    # Only on "Add a job" (stage_picker=True): later moves go through the board.
    stage = forms.ChoiceField(
        label="Stage",
        choices=[("", "Saved, or Applied when a date applied is given"), *Stage.choices],
        required=False,
        help_text="Where the job goes on your board. A date applied puts it under Applied "
        "unless you pick another stage.",
    )

    # Only where the person's own tags are edited (stage_picker's page and the edit page).
    tags = forms.CharField(
        label="Tags",
        required=False,
        max_length=TAGS_TEXT_MAX,
        help_text="Your own labels, comma separated: remote, referral, dream job.",
    )

    def __init__(self, *args, stage_picker: bool = False, stage_choices=None,
                 tags_field: bool = False, first_note: bool = True,
                 **kwargs):  # fmt: skip
        initial = dict(kwargs.pop("initial", None) or {})
        # The description is edited as text (paragraphs and "• " lists); the HTML it stands for
        # is kept, and saved as it was unless the person changes the text.
        self.description_html = sanitize_description(initial.get("description") or "")
        if initial.get("description"):
            initial["description"] = description_plain(self.description_html)
        if "employment_type" in initial:
            initial["employment_type"] = employment_type_value(initial["employment_type"])
        initial.update(
            normalise_salary({k: v for k, v in initial.items() if k.startswith("salary_")})
        )
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        if not stage_picker:
            del self.fields["stage"]
        else:
            self.fields["stage"].widget.attrs["aria-describedby"] = "id_stage_help"
            if stage_choices:
                self.fields["stage"].choices = [self.fields["stage"].choices[0], *stage_choices]
        if not tags_field:
            del self.fields["tags"]
        else:
            self.fields["tags"].widget.attrs["aria-describedby"] = "id_tags_help"
        if not first_note:
            # A saved job's notes are added, edited and deleted one by one on its page.
            del self.fields["notes"]
        for name in ("url", "apply_url", "notes", "description"):
            if name in self.fields:
                self.fields[name].widget.attrs.setdefault("aria-describedby", f"id_{name}_help")

    # What "Add a job" asks first; the rest folds under "More details".
    ESSENTIALS = ("title", "company", "url", "location", "workplace", "stage", "applied_on",
                  "tags")  # fmt: skip

    def essential_fields(self) -> list:
        return [self[name] for name in self.ESSENTIALS if name in self.fields]

    def more_fields(self) -> list:
        return [f for f in self.visible_fields() if f.name not in self.ESSENTIALS]

    def more_has_errors(self) -> bool:
        return any(f.errors for f in self.more_fields())

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError("Enter the job title.")
        return title

    def clean_description(self) -> str:
        typed = self.cleaned_data.get("description", "")
        if self.description_html and same_text(typed, description_plain(self.description_html)):
            description = self.description_html
        else:
            description = description_from_text(typed)
        if len(description) > DESCRIPTION_MAX:
            raise forms.ValidationError(
                f"Keep the description under {DESCRIPTION_MAX:,} characters."
            )
        return description

    def clean_tags(self) -> list[str]:
        try:
            return parse_names(self.cleaned_data.get("tags", ""))
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["tags"]) from None

    def tag_names(self) -> list[str] | None:
        """The tags asked for, or None when the form has no tags field."""
        return self.cleaned_data.get("tags") if "tags" in self.fields else None

    def clean_employment_type(self) -> str:
        return employment_type_value(self.cleaned_data.get("employment_type"))

    def clean(self):
        cleaned = super().clean()
        errors = salary_errors(cleaned.get("salary_min"), cleaned.get("salary_max"))
        for name, message in errors.items():
            if name not in self.errors:
                self.add_error(name, message)
        return cleaned

    def job_data(self) -> dict:
        """The cleaned values for job_create or job_update, without where the job came from
        and the stage."""
        return {
            k: v for k, v in self.cleaned_data.items() if k not in (*ORIGIN_FIELDS, "stage", "tags")
        }

    def chosen_stage(self) -> str:
        """The stage a new job starts in: the one picked, else Applied when a date applied
        is given, else Saved."""
        picked = self.cleaned_data.get("stage")
        if picked:
            return picked
        return Stage.APPLIED if self.cleaned_data.get("applied_on") else Stage.SAVED

    def origin(self) -> dict:
        """Where the job came from, as job_create's keyword arguments."""
        return {
            "channel": self.cleaned_data.get("channel") or MANUAL,
            "board": self.cleaned_data.get("board", ""),
            "board_id": self.cleaned_data.get("board_id", ""),
        }


class MoveForm(forms.Form):
    stage = forms.ChoiceField(label="Move to", choices=Stage.choices)

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if choices:
            self.fields["stage"].choices = choices


class TrackingForm(forms.Form):
    """The part of a job the person keeps up to date from the job page."""

    applied_on = _date_field("Date applied")
    applied_via = forms.ChoiceField(
        label="How you applied",
        choices=[("", "Not said"), *AppliedVia.choices],
        required=False,
        help_text="For your work-search record.",
    )
    follow_up_on = _date_field("Follow-up date", "We email you a reminder on this day.")


class NoteForm(forms.Form):
    """One dated note on a job, added or edited from the job page."""

    body = forms.CharField(
        label="Note",
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "aria-describedby": "id_body_help"}),
        help_text=NOTES_HELP,
        error_messages={"required": "Write something in the note."},
    )


class ReminderSettingsForm(forms.Form):
    reminders_enabled = forms.BooleanField(
        label="Email me a reminder on the days I set a follow-up", required=False
    )


SORTS = {
    "updated": ("-updated_at", "-pk"),
    "salary": (F("salary_sort").desc(nulls_last=True), "-updated_at", "-pk"),
    "applied": (F("applied_on").desc(nulls_last=True), "-updated_at", "-pk"),
    "company": ("company", "title", "pk"),
    "stage": ("stage_order", "-updated_at", "-pk"),
    "deadline": ("valid_through_sort", "valid_through", "pk"),
}


class ListFilterForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        help_text="Title, company, location, notes or description.",
        widget=forms.TextInput(attrs={"type": "search", "aria-describedby": "id_q_help"}),
    )
    stage = forms.ChoiceField(label="Stage", choices=[("", "All"), *Stage.choices], required=False)
    # Any value: the list reads a tag's id or its name (links say ?tag=remote).
    tag = forms.CharField(
        label="Tag", required=False, max_length=TAG_NAME_MAX, widget=forms.Select(choices=[])
    )
    workplace = forms.ChoiceField(
        label="Workplace", choices=[("", "All"), *Workplace.choices], required=False
    )
    archived = forms.ChoiceField(
        label="Show",
        choices=[("", "Current jobs"), ("only", "Archived jobs"), ("all", "All jobs")],
        required=False,
    )
    sort = forms.ChoiceField(
        label="Sort by",
        choices=[
            ("updated", "Last activity"),
            ("salary", "Salary, highest first"),
            ("applied", "Date applied, latest first"),
            ("company", "Company"),
            ("stage", "Stage"),
            ("deadline", "Deadline"),
        ],
        required=False,
    )

    def __init__(self, *args, stage_choices=None, tags=(), **kwargs):
        """`stage_choices`: the person's own stages (every one, hidden ones too: jobs can be
        in them); `tags`: their tags."""
        super().__init__(*args, **kwargs)
        if stage_choices is not None:
            self.fields["stage"].choices = [("", "All"), *stage_choices]
        self.fields["tag"].widget.choices = [("", "All"), *((str(t.pk), t.name) for t in tags)]


BULK_ACTIONS = {
    "move": "Move",
    "add_tag": "Add tag",
    "remove_tag": "Remove tag",
    "archive": "Archive",
    "unarchive": "Unarchive",
    "export": "Export as CSV",
    "delete": "Delete",
    "delete_confirmed": "Delete for good",
}


class BulkForm(forms.Form):
    """An action on the jobs ticked on the list. The ids are checked against the person's
    own jobs by the services: here only their shape and number."""

    action = forms.ChoiceField(choices=list(BULK_ACTIONS.items()), required=False)
    stage = forms.ChoiceField(label="Move to", required=False)
    tag = forms.CharField(
        label="Tag", max_length=TAG_NAME_MAX, required=False, strip=True,
        help_text="One of your tags, or a new one to add.",
    )  # fmt: skip
    back = forms.CharField(max_length=2000, required=False)

    def __init__(self, *args, stage_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", "Choose a stage"), *stage_choices]

    def _job_ids(self) -> list[int]:
        raw = self.data.getlist("job") if hasattr(self.data, "getlist") else []
        if not raw:
            raise forms.ValidationError("Tick at least one job first.")
        if len(raw) > BULK_MAX:
            raise forms.ValidationError(
                f"Choose at most {BULK_MAX} jobs at once (you chose {len(raw)})."
            )
        if not all(str(v).isdigit() and len(str(v)) < 12 for v in raw):
            raise forms.ValidationError("Tick jobs from the list.")
        return list(dict.fromkeys(int(v) for v in raw))

    def clean(self):
        cleaned = super().clean()
        try:
            cleaned["job_ids"] = self._job_ids()
        except forms.ValidationError as exc:
            self.add_error(None, exc)
        action = cleaned.get("action") or ""
        if not action:
            # Enter pressed in the tag box: the tag is what the person was adding.
            action = "add_tag" if cleaned.get("tag") else ""
            cleaned["action"] = action
        if not action and not self.errors:
            self.add_error("action", "Choose what to do with the jobs you ticked.")
        if action == "move" and not cleaned.get("stage"):
            self.add_error("stage", "Choose the stage to move the jobs to.")
        if action in ("add_tag", "remove_tag") and not cleaned.get("tag"):
            self.add_error("tag", "Name the tag to add or remove.")
        return cleaned


class TagRenameForm(forms.Form):
    name = forms.CharField(label="New name", max_length=TAG_NAME_MAX)


class CsvUploadForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="Up to 5 MB and 5,000 rows.")
