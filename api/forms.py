from django import forms
from django.conf import settings

from api.models import SCOPES

EXPIRY_CHOICES = (
    (7, "7 days"),
    (30, "30 days"),
    (90, "90 days"),
    (180, "180 days"),
    (365, "1 year"),
)


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=80,
        help_text="What uses it, so you recognise it later (for example “My dashboard script”).",
        widget=forms.TextInput(attrs={"aria-describedby": "id_name_help"}),
    )
    scopes = forms.MultipleChoiceField(
        label="What it may do",
        choices=list(SCOPES.items()),
        widget=forms.CheckboxSelectMultiple,
        initial=["jobs:read"],
    )
    days = forms.TypedChoiceField(
        label="Expires after", choices=EXPIRY_CHOICES, coerce=int, initial=90
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].choices = [
            (days, label) for days, label in EXPIRY_CHOICES if days <= settings.API_TOKEN_MAX_DAYS
        ]
        self.fields["days"].initial = settings.API_TOKEN_DEFAULT_DAYS
