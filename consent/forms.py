from django import forms

from consent.categories import COOKIE_KEYS, MARKETING, OPTIONAL_KEYS, get_category
from consent.models import Method

# What the banner and the choices page can post; the rest of Method is recorded elsewhere.
ACTIONS = {
    "accept-all": Method.ACCEPT_ALL,
    "reject-all": Method.REJECT_ALL,
    "custom": Method.CUSTOM,
    "settings": Method.SETTINGS,
    "withdrawal": Method.WITHDRAWAL,
    "gpc-override": Method.GPC_OVERRIDE,
}


class DecisionForm(forms.Form):
    """One POST from the banner or the choices page: an action, and for custom, the categories."""

    action = forms.CharField(max_length=32)
    granted = forms.MultipleChoiceField(required=False, choices=())

    def __init__(self, *args, signed_in: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.signed_in = signed_in
        # Any value is accepted here, so an unknown one gets our own clear message below.
        self.fields["granted"].valid_value = lambda value: True

    def clean_action(self) -> str:
        action = self.cleaned_data["action"]
        if action not in ACTIONS:
            raise forms.ValidationError(f"Unknown choice {action!r}.")
        if action == "settings" and not self.signed_in:
            raise forms.ValidationError("Sign in to choose marketing emails.")
        return action

    def clean_granted(self) -> list[str]:
        granted = self.cleaned_data["granted"]
        for key in granted:
            try:
                get_category(key)
            except ValueError:
                raise forms.ValidationError(f"Unknown consent category {key!r}.") from None
            if key == MARKETING and not self.signed_in:
                raise forms.ValidationError("Marketing emails need an account: sign in first.")
        return granted

    def choices(self) -> dict[str, bool]:
        """The categories this decision sets; the others carry over unchanged."""
        action = self.cleaned_data["action"]
        granted = set(self.cleaned_data["granted"])
        if action == "accept-all":
            return {key: True for key in COOKIE_KEYS}
        if action == "reject-all":
            return {key: False for key in COOKIE_KEYS}
        if action == "custom":
            return {key: key in granted for key in COOKIE_KEYS}
        if action == "settings":
            return {MARKETING: MARKETING in granted}
        if action == "withdrawal":
            return {key: False for key in OPTIONAL_KEYS if key != MARKETING or self.signed_in}
        return {}

    def method(self) -> Method:
        return ACTIONS[self.cleaned_data["action"]]
