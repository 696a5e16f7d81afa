"""The steps of an account erasure, driven by the personal-data registry."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone

from jobtrax import datamap, pagecache
from jobtrax.net import truncate_ip
from rights import registry

logger = logging.getLogger(__name__)


def _batch_size() -> int:
    return settings.RIGHTS_ERASE_BATCH_SIZE


def _reduce(value, how: str):
    if how == "ip":
        return truncate_ip(value) if value else value
    if how == "null":
        return None
    if how == "true":
        return True
    if how == "blank":
        return "" if isinstance(value, str) else None
    return value


def _delete_rows(qs: models.QuerySet) -> None:
    file_fields = [
        f.name for f in qs.model._meta.concrete_fields if isinstance(f, models.FileField)
    ]
    while True:
        batch = list(qs.values_list("pk", flat=True)[: _batch_size()])
        if not batch:
            return
        if file_fields:
            for row in qs.model._default_manager.filter(pk__in=batch):
                for name in file_fields:
                    stored = getattr(row, name)
                    if stored:
                        stored.delete(save=False)
        with pagecache.deferred():  # the account's version once, not once per row
            qs.model._default_manager.filter(pk__in=batch).delete()


def _detach_rows(kind: datamap.Kind, qs: models.QuerySet, user_field: str) -> None:
    """Cut rows from the account and reduce what identifies a person. Rows a retention job
    deletes or anonymises in the meantime are simply skipped."""
    model = qs.model
    reduce = {
        name: how
        for name, how in kind.reduce.items()
        if how != "keep" and any(f.name == name for f in model._meta.concrete_fields)
    }
    while True:
        batch = list(qs.values_list("pk", flat=True)[: _batch_size()])
        if not batch:
            return
        if not reduce:
            model._default_manager.filter(pk__in=batch).update(**{user_field: None})
            continue
        rows = list(model._default_manager.filter(pk__in=batch).only("pk", *reduce))
        for row in rows:
            setattr(row, user_field, None)
            for name, how in reduce.items():
                setattr(row, name, _reduce(getattr(row, name), how))
        model._default_manager.bulk_update(rows, [user_field, *reduce])


def erase_account(*, user_id: int, reason: str) -> bool:
    from rights.models import DataSubjectRequest as DSR
    from rights.models import DeletionReceipt
    from rights.services import email_hmac, legal_hold_active

    User = get_user_model()
    if not User.objects.filter(pk=user_id).exists():
        return False
    if legal_hold_active(user_id=user_id):
        logger.info("erasure of account %s paused by a legal hold", user_id)
        return False
    for kind in registry.installed_kinds():
        if kind.erase not in (datamap.DELETE, datamap.DETACH):
            continue
        for user_field in kind.user_fields:
            qs = kind.queryset_for(user_id, user_field)
            if kind.erase == datamap.DELETE:
                _delete_rows(qs)
            else:
                _detach_rows(kind, qs, user_field)
    for step in datamap.erase_steps():
        step.func(user_id=user_id)
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id).first()
        if user is None:
            return False
        if legal_hold_active(user_id=user_id):
            return False
        now = timezone.now()
        dsr = (
            DSR.objects.filter(
                user_id=user_id, kind=DSR.Kind.DELETION, status=DSR.Status.IN_PROGRESS
            )
            .order_by("-received_at")
            .first()
        )
        DeletionReceipt.objects.create(
            request_id_ref=dsr.pk if dsr else None,
            reason="minor" if dsr and dsr.reported_minor else reason[:32],
            requested_at=dsr.received_at if dsr else None,
            erased_at=now,
            email_hmac=email_hmac(user.email),
        )
        if dsr is not None:
            DSR.objects.filter(pk=dsr.pk).update(status=DSR.Status.COMPLETED, completed_at=now)
        # Requests stay for the record, without the subject's address or words.
        DSR.objects.filter(user_id=user_id).update(user=None, subject_email="", details="")
        User.objects.filter(pk=user_id).delete()
    from logs_retention.services import security_event_record

    security_event_record(kind="deletion_done", detail=f"request={dsr.pk if dsr else ''}")
    return True
