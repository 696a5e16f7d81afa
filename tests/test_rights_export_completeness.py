"""The export holds every personal field each app declares (notice section 9, access and
portability). Generated from the declarations: a model's field is either in the export or named
below with the reason it is not, so a field dropped from the export fails here."""

import csv
import io
import json
import zipfile

import pytest
from django.utils import timezone

from rights import registry
from rights.export import write_zip

# Fields of declared models that the export leaves out on purpose, and why. "id" (a row's own
# number) is left out wherever a declaration does not export it.
NOT_EXPORTED = {
    "accounts.user": {
        "password": "a hash: of no use to its owner and a risk in a file",
        "is_staff": "an access flag of the staff console, not data about the person's use",
        "is_superuser": "an access flag of the staff console, not data about the person's use",
        "data_version": "a counter of changes that keeps cached pages fresh, not data about "
        "the person",
    },
    "usersessions.usersession": {
        "session_key": "a secret that would sign the holder of the file in",
        "data": "the session's internal state, with secrets in it",
    },
    "mfa.authenticator": {"data": "the second factor's secret"},
    "consent.marketingcampaign": {
        "body": "the company's text, which staff wrote for it",
        "queued_at": "the company's sending schedule",
        "finished_at": "the company's sending schedule",
        "sent_count": "about other recipients",
    },
    "rights.datasubjectrequest": {
        "code_hash": "a hash of a verification code: a secret",
        "code_expires_at": "about the verification secret",
        "code_attempts": "about the verification secret",
    },
    "rights.dataexport": {
        "token": "the secret link of the download",
        "file": "the export itself",
        "size": "a technical fact about the export file",
        "progress": "a technical fact about the build",
        "heartbeat_at": "a technical fact about the build",
        "attempts": "a technical fact about the build",
        "request": "a link to the request, which is exported on its own",
    },
    "rights.auditrecord": {
        "target_user_id": "staff actions: which other person an action was about",
        "note": "staff actions: about another person",
    },
    "admin.logentry": {
        "object_repr": "staff actions: about another person's record",
        "change_message": "staff actions: about another person's record",
    },
    "support.supportmessage": {"request": "a link to the request, which is exported on its own"},
    "api.apitoken": {"secret_hash": "a hash of the token's secret: a risk in a file"},
}


def _kinds():
    return [kind for kind in registry.installed_kinds() if kind.exported]


def _names(model) -> dict[str, str]:
    """Column name (attname, as exported) to field name, for every concrete field."""
    return {f.attname: f.name for f in model._meta.concrete_fields}


@pytest.mark.parametrize("kind", _kinds(), ids=lambda kind: kind.name)
def test_every_field_of_a_declared_model_is_exported_or_left_out_for_a_stated_reason(kind):
    model = kind.get_model()
    label = model._meta.label_lower
    exported = {_names(model).get(name, name) for name in kind.export_fields()}
    links = set(kind.user_fields) if kind.erase != "account" else set()
    reasons = NOT_EXPORTED.get(label, {})

    unaccounted = {
        f.name
        for f in model._meta.concrete_fields
        if f.name not in exported | links | set(kind.exclude) | set(reasons) and f.name != "id"
    }

    assert not unaccounted, f"{label}: neither exported nor left out for a reason: {unaccounted}"


@pytest.mark.parametrize("kind", _kinds(), ids=lambda kind: kind.name)
def test_every_field_a_declaration_names_exists(kind):
    """A misspelt or removed field would drop silently out of the export."""
    columns = _names(kind.get_model())
    if kind.fields is None:
        return
    missing = [name for name in kind.fields if name not in columns and name not in columns.values()]

    assert not missing


def test_the_reasons_above_name_real_fields():
    for label, reasons in NOT_EXPORTED.items():
        kind = next((k for k in _kinds() if k.get_model()._meta.label_lower == label), None)
        if kind is None:
            continue
        fields = set(_names(kind.get_model()).values())
        assert set(reasons) <= fields, label


@pytest.fixture
def export_zip(user, tmp_path, settings):
    settings.RIGHTS_EXPORT_WORK_DIR = str(tmp_path / "work")
    user.country, user.region = "ES", "MD"
    user.processing_objected_at = timezone.now()
    user.save()
    target = io.BytesIO()
    write_zip(user_id=user.pk, target=target)
    return zipfile.ZipFile(target)


def test_the_real_export_carries_each_declared_column_in_json_and_csv(export_zip, user):
    data = json.loads(export_zip.read("data.json"))
    for kind in _kinds():
        header = next(csv.reader(io.StringIO(export_zip.read(f"{kind.name}.csv").decode())))
        assert header == kind.export_fields(), kind.name
        for record in data["records"][kind.name]:
            assert list(record) == kind.export_fields(), kind.name
    [account] = data["records"]["account"]
    assert (account["country"], account["region"]) == ("ES", "MD")
    assert account["processing_objected_at"] is not None
