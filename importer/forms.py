from django import forms

from importer.fetch import MAX_URL_LENGTH
from importer.payload import MAX_PAYLOAD_CHARS

# Django refuses request bodies over DATA_UPLOAD_MAX_MEMORY_SIZE (256 KB) before any form sees
# them; this keeps a pasted page clearly under it.
MAX_PASTE_CHARS = 240_000


class LinkForm(forms.Form):
    # Both forms share a page, so their ids carry their own prefix.
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "link_%s")
        super().__init__(*args, **kwargs)

    url = forms.CharField(
        label="Link to the posting",
        max_length=MAX_URL_LENGTH,
        widget=forms.URLInput(attrs={"inputmode": "url", "placeholder": "https://"}),
    )


class PasteForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "paste_%s")
        super().__init__(*args, **kwargs)

    content = forms.CharField(
        label="The page's source, or the posting's text",
        max_length=MAX_PASTE_CHARS,
        error_messages={
            "max_length": f"A pasted page can be at most {MAX_PASTE_CHARS:,} characters. "
            "Paste only the posting's part of the page, or its text."
        },
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="For sites that refuse servers (LinkedIn, Indeed, Glassdoor): press Ctrl+U "
        "(or ⌘+Option+U) on the posting, select all, copy and paste it here. Or paste just "
        "the posting's text.",
    )
    url = forms.CharField(
        label="Link to the posting (optional)",
        max_length=MAX_URL_LENGTH,
        required=False,
        widget=forms.URLInput(attrs={"inputmode": "url"}),
    )


class BookmarkletForm(forms.Form):
    payload = forms.CharField(max_length=MAX_PAYLOAD_CHARS + 10, widget=forms.HiddenInput)


def mark_needs_check(form: forms.Form, posting) -> None:
    """Say "please check" under each field of the job form the import could not read."""
    from importer.services import CHECK_FIELDS

    if posting.source == "text":
        note = "Please check: JobTrax could not read this from the text, so it is empty."
    else:
        note = "Please check: JobTrax guessed this from the page's title and text."
    for name in posting.needs_check:
        name = CHECK_FIELDS.get(name, name)
        field = form.fields.get(name)
        if field is None:
            continue
        field.widget.attrs.setdefault("aria-describedby", f"id_{name}_help")
        field.help_text = f"{note} {field.help_text}".strip()
