"""Data-subject rights. Every write with side effects has one function in a module here:
requests (and verification), fulfilment, exports, deletion (with legal holds), restriction
and objection, email correction, audit; common holds the errors. Callers import them from
this package."""

from rights.services.audit import (
    audit_record,
)
from rights.services.common import (
    DELETION_CANCEL_SALT,
    VERIFY_LINK_SALT,
    ExportTooSoon,
    RightsError,
    deletion_grace,
    email_hmac,
    export_interval,
    export_lifetime,
)
from rights.services.correction import (
    email_change_start,
)
from rights.services.deletion import (
    account_erase,
    account_mark_minor,
    deletion_cancel_by_token,
    deletion_cancel_on_login,
    deletion_open_request,
    deletion_pending,
    deletion_start,
    deletions_due,
    legal_hold_active,
    legal_hold_lift,
    legal_hold_place,
    legal_holds_lift,
)
from rights.services.exports import (
    export_build,
    export_file_drop,
    export_record_download,
    export_request,
    export_restart_stalled,
    export_workspace_clean,
)
from rights.services.fulfilment import (
    AddressRecords,
    address_records_register,
    request_run_erasure,
    request_run_export,
)
from rights.services.requests import (
    regime_for,
    request_account,
    request_acknowledge,
    request_complete,
    request_create,
    request_deny,
    request_extend,
    request_send_code,
    request_verify_code,
    request_verify_link,
)
from rights.services.restriction import (
    objection_apply,
    objection_lift,
    restriction_apply,
    restriction_lift,
)

__all__ = [
    "export_workspace_clean",
    "deletion_grace",
    "AddressRecords",
    "DELETION_CANCEL_SALT",
    "ExportTooSoon",
    "RightsError",
    "VERIFY_LINK_SALT",
    "account_erase",
    "account_mark_minor",
    "address_records_register",
    "audit_record",
    "deletion_cancel_by_token",
    "deletion_cancel_on_login",
    "deletion_open_request",
    "deletion_pending",
    "deletion_start",
    "deletions_due",
    "email_change_start",
    "email_hmac",
    "export_build",
    "export_file_drop",
    "export_interval",
    "export_lifetime",
    "export_record_download",
    "export_request",
    "export_restart_stalled",
    "legal_hold_active",
    "legal_hold_lift",
    "legal_hold_place",
    "legal_holds_lift",
    "objection_apply",
    "objection_lift",
    "regime_for",
    "request_account",
    "request_acknowledge",
    "request_complete",
    "request_create",
    "request_deny",
    "request_extend",
    "request_run_erasure",
    "request_run_export",
    "request_send_code",
    "request_verify_code",
    "request_verify_link",
    "restriction_apply",
    "restriction_lift",
]
