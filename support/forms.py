from django import forms

from support.models import MESSAGE_MAX_LENGTH, SupportMessage

SENSITIVE_DATA_WARNING = (
    "Please do not include sensitive personal information (health information, government "
    "identification numbers, passwords or financial details) in your message."
)


class ContactForm(forms.Form):
    topic = forms.ChoiceField(label="What is it about?", choices=SupportMessage.Topic.choices)
    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        help_text="We reply to this address and use it for nothing else.",
    )
    message = forms.CharField(
        label="Your message",
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=SENSITIVE_DATA_WARNING,
    )
    # A field people never see (the template hides it); software that fills in every field
    # fills this one, and its message is dropped.
    website = forms.CharField(
        label="Leave this field empty", required=False, max_length=200, strip=False
    )

    def clean_message(self) -> str:
        value = self.cleaned_data["message"]
        if "\x00" in value:
            raise forms.ValidationError("Your message contains a character we cannot store.")
        if not value.strip():
            raise forms.ValidationError("Write your message.")
        return value.strip()

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class ReplyForm(forms.Form):
    subject = forms.CharField(max_length=200, label="Subject")
    body = forms.CharField(
        label="Reply",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Sent by email to the reply-to address. JobTrax records that a reply was "
        "sent, and when, but keeps no copy of its text.",
    )
    close = forms.BooleanField(required=False, label="Close the message once the reply is sent")
