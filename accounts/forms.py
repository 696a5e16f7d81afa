import secrets

from allauth.account import forms as allauth_forms
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.models import EmailAddress
from django import forms
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_countries import countries

from accounts import regions
from consent.services import consent_forget_cached

REGION_HELP = (
    "Optional. A state, province or region of your country (its official name or code, such "
    "as California or CA), never a town or street."
)


def country_choices() -> list[tuple[str, str]]:
    return [("", "Let JobTrax infer my country")] + list(countries)


class CoarseLocationMixin:
    """A country, and at most a region that is one of its ISO 3166-2 subdivisions."""

    def _region_select(self, country: str) -> None:
        """Offer the country's subdivisions as a list once the country is known."""
        choices = regions.subdivisions(country)
        if choices:
            self.fields["region"].widget = forms.Select(
                choices=[("", "No region")] + [(code, name) for code, name in choices]
            )

    def clean(self):
        cleaned = super().clean()
        typed = " ".join((cleaned.get("region") or "").split())
        country = cleaned.get("country") or ""
        if not typed:
            cleaned["region"] = ""
        elif not country:
            self.add_error("region", "Choose a country to go with the region.")
        elif "region" not in self.errors:
            code = regions.region_code(country, typed)
            if code is None:
                name = dict(countries).get(country, country)
                self.add_error(
                    "region",
                    f"This is not a region of {name}. Choose one of its states, provinces or "
                    "regions from the official list (ISO 3166-2), or leave the region empty.",
                )
            else:
                cleaned["region"] = code
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
            # A new account hashes its password and writes its rows; a signup for a registered
            # address does the same work (the rehearsal hashes the password as a new account
            # does), so that the time taken does not tell the two apart. The hash is thrown
            # away and the rows are rolled back.
            self._rehearse_new_account(request)
            return super().try_save(request)
        with transaction.atomic():  # as the rehearsal's, so both paths send the same queries
            return super().try_save(request)

    def _rehearse_new_account(self, request: HttpRequest) -> None:
        """Create an account for an address no one can own, through the same code as a real
        signup, inside a transaction that is then rolled back: nothing stays, and no email or
        other side effect leaves (on-commit callbacks are dropped with the rollback)."""
        registered = self.cleaned_data["email"]
        self.cleaned_data["email"] = f"{secrets.token_hex(12)}@signup.invalid"
        self.account_already_exists = False
        session_before = dict(request.session)
        user = None
        try:
            with transaction.atomic():
                user = self.save(request)
                # What the signup's sign-in stage reads for a new account.
                EmailAddress.objects.filter(user=user, verified=True).exists()
                EmailAddress.objects.get_primary(user)
                type(user).objects.filter(pk=user.pk).first()
                transaction.set_rollback(True)
        finally:
            if user is not None and user.pk:
                consent_forget_cached(user_id=user.pk)  # the id may come back (SQLite)
            self.cleaned_data["email"] = registered
            self.account_already_exists = True
            for key in set(request.session.keys()) - set(session_before):
                del request.session[key]


class LocationForm(CoarseLocationMixin, forms.Form):
    country = forms.ChoiceField(choices=country_choices, required=False, label="Country")
    region = forms.CharField(max_length=64, required=False, label="Region", help_text=REGION_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        country = self.data.get("country") if self.is_bound else self.initial.get("country")
        if isinstance(country, str) and country:
            self._region_select(country)


class SentenceCaseLabels:
    """allauth's forms in the site's voice: sentence-case labels (see ACCOUNT_FORMS)."""

    labels: dict[str, str] = {
        "remember": "Keep me signed in on this device",
        "oldpassword": "Current password",
        "password1": "New password",
        "password2": "New password (again)",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, label in self.labels.items():
            if name in self.fields:
                self.fields[name].label = label
                if "placeholder" in self.fields[name].widget.attrs:
                    self.fields[name].widget.attrs["placeholder"] = label


class LoginForm(SentenceCaseLabels, allauth_forms.LoginForm):
    pass


class ChangePasswordForm(SentenceCaseLabels, allauth_forms.ChangePasswordForm):
    pass


class ResetPasswordKeyForm(SentenceCaseLabels, allauth_forms.ResetPasswordKeyForm):
    pass


class SetPasswordForm(SentenceCaseLabels, allauth_forms.SetPasswordForm):
    labels = {"password1": "Password", "password2": "Password (again)"}


class AddEmailForm(allauth_forms.AddEmailForm):
    """The profile's change of address, through the service staff use for an emailed request."""

    def save(self, request: HttpRequest):
        from rights.services import email_change_start

        return email_change_start(request=request, user=self.user, email=self.cleaned_data["email"])
