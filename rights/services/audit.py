"""The audit trail: every staff action on personal data, with its security event."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser

from rights.models import AuditRecord, DataSubjectRequest
from rights.services.common import _EMAIL_RE


def audit_record(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    target_user_id: int | None = None,
    dsr: DataSubjectRequest | None = None,
    note: str = "",
) -> AuditRecord:
    """Record a staff action on personal data, and the matching security event.

    Email addresses are cut out of the note: the audit trail never holds one.
    """
    from logs_retention.services import security_event_record

    note = _EMAIL_RE.sub("[address removed]", note or "")[:500]
    record = AuditRecord.objects.create(
        actor=actor,
        action=action,
        target_user_id=target_user_id,
        request=dsr,
        note=note,
    )
    security_event_record(
        kind="staff_action",
        user_id=getattr(actor, "pk", None),
        detail=f"{action} request={getattr(dsr, 'pk', '') or ''} user={target_user_id or ''}",
    )
    return record
