from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest
from django_countries import countries

REGION_HELP = "Optional. A state, province or region, never a town or street."


def country_choices() -> list[tuple[str, str]]:
    return [("", "Let JobTrax infer my country")] + list(countries)


class CoarseLocationMixin:
    """A country, and a region at most: never a town, street or postal code."""

    def clean_region(self) -> str:
        value = " ".join(self.cleaned_data.get("region", "").split())
        if any(ch.isdigit() for ch in value) and len(value) > 4:
            raise forms.ValidationError(
                "Give a region name or code, not an address or postal code."
            )
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("region") and not cleaned.get("country"):
            self.add_error("region", "Choose a country to go with the region.")
        return cleaned


class SignupForm(CoarseLocationMixin, AllauthSignupForm):
    is_adult = forms.BooleanField(
        required=True,
        label="",
    )
    country = forms.ChoiceField(choices=country_choices, required=False, label="Country")
    region = forms.CharField(max_length=64, required=False, label="Region", help_text=REGION_HELP)
    marketing_opt_in = forms.BooleanField(
        required=False,
        label="Email me news about new JobTrax features (optional; you can stop at any time)",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        age = settings.JOBTRAX_MINIMUM_AGE
        self.fields["is_adult"].label = f"I am {age} or older"
        self.fields["is_adult"].error_messages["required"] = (
            f"You must be {age} or older to use JobTrax."
        )

    def try_save(self, request: HttpRequest):
        if self.account_already_exists:
            # A new account hashes its password; so does a signup for a registered address,
            # so that the time taken does not tell the two apart. The hash is thrown away.
            make_password(self.cleaned_data["password1"])
        return super().try_save(request)


class LocationForm(CoarseLocationMixin, forms.Form):
    country = forms.ChoiceField(choices=country_choices, required=False, label="Country")
    region = forms.CharField(max_length=64, required=False, label="Region", help_text=REGION_HELP)
