"""Carrying out a verified request: its export or its erasure, by account or by address."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from jobtrax.mail import Category, mail_send
from rights.models import DataExport, DataSubjectRequest
from rights.services.audit import audit_record
from rights.services.common import (
    RightsError,
)
from rights.services.deletion import deletion_start
from rights.services.exports import export_request
from rights.services.requests import request_account, request_complete


def _require_verified_account(dsr: DataSubjectRequest) -> AbstractBaseUser:
    if not dsr.is_verified:
        raise RightsError("Verify the subject's identity first.")
    if not dsr.is_open:
        raise RightsError("This request is closed.")
    return request_account(dsr)


def request_run_export(
    *, dsr: DataSubjectRequest, actor: AbstractBaseUser
) -> DataExport | DataSubjectRequest:
    if dsr.kind not in (dsr.Kind.ACCESS, dsr.Kind.EXPORT):
        raise RightsError("Only an access or export request can run an export.")
    if dsr.user_id is None and dsr.subject_email:
        return _export_by_address(dsr=dsr, actor=actor)
    user = _require_verified_account(dsr)
    export, _ = export_request(user=user, dsr=dsr, enforce_interval=False)
    audit_record(actor=actor, action="ran_export", target_user_id=user.pk, dsr=dsr)
    return export


def request_run_erasure(*, dsr: DataSubjectRequest, actor: AbstractBaseUser) -> DataSubjectRequest:
    """Start the erasure the subject asked for: the usual grace period and cancel link apply."""
    if dsr.kind != dsr.Kind.DELETION:
        raise RightsError("Only a deletion request can run an erasure.")
    if dsr.user_id is None and dsr.subject_email:
        return _erase_by_address(dsr=dsr, actor=actor)
    user = _require_verified_account(dsr)
    deletion_start(user=user, dsr=dsr)
    audit_record(actor=actor, action="erased", target_user_id=user.pk, dsr=dsr)
    return dsr


# Someone without an account may still be in records kept by email address (messages sent
# through the contact form). The apps keeping such records register them here; a verified
# request that names the address reaches them.


@dataclass(frozen=True)
class AddressRecords:
    name: str
    export: Callable[[str], list[dict]]  # export(address) -> rows, as plain values
    erase: Callable[[str], int]  # erase(address) -> rows deleted


_address_records: dict[str, AddressRecords] = {}


def address_records_register(
    *, name: str, export: Callable[[str], list[dict]], erase: Callable[[str], int]
) -> None:
    _address_records[name] = AddressRecords(name, export, erase)


def _require_verified_address(dsr: DataSubjectRequest) -> str:
    if not dsr.is_verified:
        raise RightsError("Verify the subject's identity first.")
    if not dsr.is_open:
        raise RightsError("This request is closed.")
    return dsr.subject_email


def _plain(value: object) -> object:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _export_by_address(*, dsr: DataSubjectRequest, actor: AbstractBaseUser) -> DataSubjectRequest:
    """Email the subject a JSON copy of what is kept under their address, then complete."""
    import json

    address = _require_verified_address(dsr)
    records = {
        item.name: [{key: _plain(value) for key, value in row.items()} for row in rows]
        for item in _address_records.values()
        for rows in [item.export(address)]
    }
    count = sum(len(rows) for rows in records.values())
    data = {"generated_at": timezone.now().isoformat(), **records}
    with transaction.atomic():  # a refused send leaves no audit record of an export that failed
        mail_send(
            to=address,
            template="rights/email/address_export",
            context={"dsr": dsr, "count": count},
            category=Category.RIGHTS,
            attachments=[("jobtrax-data.json", json.dumps(data, indent=2), "application/json")],
            record=lambda: audit_record(
                actor=actor, action="ran_export", dsr=dsr, note=f"{count} records by address"
            ),
        )
    return request_complete(dsr=dsr, actor=actor)


def _erase_by_address(*, dsr: DataSubjectRequest, actor: AbstractBaseUser) -> DataSubjectRequest:
    """Delete what is kept under the subject's address, then complete the request."""
    address = _require_verified_address(dsr)
    with transaction.atomic():
        deleted = sum(item.erase(address) for item in _address_records.values())
        audit_record(actor=actor, action="erased", dsr=dsr, note=f"{deleted} records by address")
    return request_complete(dsr=dsr, actor=actor)
