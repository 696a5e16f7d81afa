from django import forms

from rights.models import DataSubjectRequest as DSR


class ConfirmDeletionForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand that my account and my data will be erased after the grace period.",
    )


class RightsRequestForm(forms.Form):
    """A request staff handle: a correction of what you cannot edit yourself, lifting a
    restriction, or a question. An objection has its own form, which takes effect at once."""

    kind = forms.ChoiceField(
        label="What would you like?",
        choices=[
            (DSR.Kind.CORRECTION, "Correct something I cannot edit myself"),
            (DSR.Kind.RESTRICTION, "Lift the restriction of my data"),
            (DSR.Kind.ACCESS, "A question about the data you hold"),
        ],
    )
    details = forms.CharField(
        label="Details", widget=forms.Textarea(attrs={"rows": 5}), max_length=4000
    )


class ObjectionForm(forms.Form):
    reason = forms.CharField(
        label="Why you object (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="Your particular situation, if you want to tell us. You may leave it empty.",
    )


class StaffActionForm(forms.Form):
    ACTIONS = [
        ("send_code", "Send a one-time verification code to the subject"),
        ("verify_code", "Verify with the code the subject sent back"),
        ("acknowledge", "Send the acknowledgement"),
        ("extend", "Extend the deadline (amount: months under GDPR, days under CCPA)"),
        ("run_export", "Run an export for the account"),
        ("run_erasure", "Run an erasure for the account"),
        ("mark_minor", "Mark the account as a reported minor (erased with no grace period)"),
        ("place_hold", "Place a legal hold on the account"),
        ("lift_hold", "Lift the account's legal holds"),
        ("restrict", "Restrict processing of the account (verified request)"),
        ("lift_restriction", "Lift the account's restriction (the user is emailed first)"),
        ("record_objection", "Record the subject's objection (verified request)"),
        ("lift_objection", "Refuse the objection on compelling grounds (the reason is emailed)"),
        ("correct_email", "Correct the email address: send a link to the new address"),
        ("deny", "Deny the request"),
        ("complete", "Mark the request completed"),
    ]
    action = forms.ChoiceField(choices=ACTIONS)
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Required to extend, deny, place or lift a hold, or lift a restriction or "
        "an objection.",
    )
    code = forms.CharField(required=False, max_length=16)
    new_email = forms.EmailField(
        required=False,
        max_length=254,
        label="New email address",
        help_text="To correct the email address: it replaces the old one once its owner "
        "follows the link sent to it.",
    )
    amount = forms.IntegerField(required=False, min_value=1, max_value=45)
