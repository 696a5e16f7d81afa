"""allauth announces password and email changes only through signals; record them here."""

from allauth.account import signals
from django.dispatch import receiver

from logs_retention.models import SecurityEvent
from logs_retention.services import security_event_record


@receiver(signals.password_changed, dispatch_uid="logs_retention.password_changed")
@receiver(signals.password_set, dispatch_uid="logs_retention.password_set")
@receiver(signals.password_reset, dispatch_uid="logs_retention.password_reset")
def _password_changed(sender, request, user, **kwargs) -> None:
    security_event_record(
        kind=SecurityEvent.Kind.PASSWORD_CHANGED,
        user_id=user.pk,
        request=request,
        detail="reset" if kwargs.get("signal") is signals.password_reset else "",
    )


@receiver(signals.email_changed, dispatch_uid="logs_retention.email_changed")
def _email_changed(sender, request, user, **kwargs) -> None:
    security_event_record(kind=SecurityEvent.Kind.EMAIL_CHANGED, user_id=user.pk, request=request)
