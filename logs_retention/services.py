"""Writes of the logs_retention app."""

from django.http import HttpRequest
from django.utils import timezone

from jobtrax.net import client_ip
from logs_retention.models import SecurityEvent


def security_event_record(
    *,
    kind: str,
    user_id: int | None = None,
    request: HttpRequest | None = None,
    country: str = "",
    detail: str = "",
) -> None:
    """Record a security event. `detail` is a short code or id, never personal data."""
    if kind not in SecurityEvent.Kind.values:
        raise ValueError(f"unknown security event kind: {kind!r}")
    SecurityEvent.objects.create(
        created_at=timezone.now(),
        kind=kind,
        user_id=user_id,
        ip=client_ip(request) if request is not None else None,
        country=country[:2],
        detail=detail[:200],
    )
