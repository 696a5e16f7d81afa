"""Correction of the email address: replaced only once the new address is verified."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest

from rights.models import DataSubjectRequest
from rights.services.audit import audit_record
from rights.services.common import RightsError
from rights.services.restriction import _check_staff_request


def email_change_start(
    *,
    request: HttpRequest,
    user: AbstractBaseUser,
    email: str,
    actor: AbstractBaseUser | None = None,
    dsr: DataSubjectRequest | None = None,
) -> EmailAddress:
    """Send a verification link to the new address; the address changes when it is followed.

    The profile's email form calls this for the signed-in user; staff call it for a verified
    emailed correction request. The old address is told once the change happens.
    """
    _check_staff_request(user=user, actor=actor, dsr=dsr)
    email = (email or "").strip().lower()
    if actor is not None:
        # The profile's form has checked the address already (and says nothing of an address
        # another account uses, so it cannot be probed); staff are told plainly.
        if not email:
            raise RightsError("Give the new email address.")
        taken = EmailAddress.objects.filter(email__iexact=email).exclude(user=user).exists()
        if taken or email == user.email.lower():
            raise RightsError("That address cannot be used for this account.")
    address = EmailAddress.objects.add_new_email(request, user, email)
    if actor is not None:
        # The audit trail never holds an address: the action and the request say enough.
        audit_record(
            actor=actor, action="started_email_correction", target_user_id=user.pk, dsr=dsr
        )
    return address
