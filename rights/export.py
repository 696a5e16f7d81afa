"""The export zip, streamed to disk: rows are read with .iterator() and written one by one."""

import json
import os
import secrets
import shutil
import tempfile
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from uuid import UUID

from django.conf import settings
from django.core.files import File
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone

from jobtrax import csvsafe, datamap
from rights import registry

FORMAT_VERSION = 1
CHUNK = 2000


def work_dir() -> Path:
    """Where builds write their CSVs and zip: a folder of the app's own (RIGHTS_EXPORT_WORK_DIR),
    never the system's temp folder, so what a killed build leaves is found and removed."""
    path = Path(settings.RIGHTS_EXPORT_WORK_DIR)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Private whatever the umask, and whatever an older version left: only the app's user
    # may list or read what a build stages there (each file is 0600, see write_zip).
    if path.stat().st_mode & 0o777 != 0o700:
        path.chmod(0o700)
    return path


def work_dir_sweep_orphans(*, live_ids: set[int]) -> int:
    """Remove what builds left in the work folder, except the folders of `live_ids` (exports
    being built, with a recent heartbeat). Run when a worker starts and every hour: a build
    killed half-way leaves its folder, and its export is no longer live."""
    root = Path(settings.RIGHTS_EXPORT_WORK_DIR)
    if not root.is_dir():
        return 0
    removed = 0
    for entry in root.iterdir():
        prefix, _, rest = entry.name.partition("-")
        export_id = rest.partition("-")[0]
        if prefix == "export" and export_id.isdigit() and int(export_id) in live_ids:
            continue
        try:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        except FileNotFoundError:
            continue
        removed += 1
    return removed


def work_dir_sweep(*, cutoff: datetime, execute: bool = True) -> int:
    """Count, and with `execute` remove, what builds left in the work folder before `cutoff`
    (a build killed half-way never reaches its `finally`); a running build's folder is newer."""
    root = Path(settings.RIGHTS_EXPORT_WORK_DIR)
    if not root.is_dir():
        return 0
    found = 0
    for entry in root.iterdir():
        try:
            if entry.lstat().st_mtime >= cutoff.timestamp():
                continue
            if execute and entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            elif execute:
                entry.unlink()
        except FileNotFoundError:
            continue  # another sweep took it first
        found += 1
    return found


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str | dict | list):
        return value
    return str(value)


def _field(model: type[models.Model], name: str) -> models.Field:
    for f in model._meta.concrete_fields:
        if name in (f.name, f.attname):
            return f
    raise LookupError(name)


def _json_type(f: models.Field) -> dict:
    if isinstance(f, models.BooleanField):
        spec: dict = {"type": ["boolean"]}
    elif isinstance(f, models.IntegerField | models.AutoField | models.ForeignKey):
        spec = {"type": ["integer"]}
    elif isinstance(f, models.FloatField):
        spec = {"type": ["number"]}
    elif isinstance(f, models.JSONField):
        return {}
    elif isinstance(f, models.DateTimeField):
        spec = {"type": ["string"], "format": "date-time"}
    else:
        spec = {"type": ["string"]}
    if f.null:
        spec["type"].append("null")
    return spec


def export_schema(kinds: list[datamap.Kind]) -> dict:
    """The JSON Schema of data.json, derived from the registry."""
    records = {}
    for kind in kinds:
        model = kind.get_model()
        fields = kind.export_fields()
        records[kind.name] = {
            "type": "array",
            "description": kind.title,
            "items": {
                "type": "object",
                "properties": {name: _json_type(_field(model, name)) for name in fields},
                "required": fields,
                "additionalProperties": False,
            },
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "JobTrax data export",
        "type": "object",
        "required": ["format", "format_version", "generated_at", "records", "counts"],
        "properties": {
            "format": {"const": "jobtrax-export"},
            "format_version": {"const": FORMAT_VERSION},
            "generated_at": {"type": "string", "format": "date-time"},
            "records": {
                "type": "object",
                "properties": records,
                "required": list(records),
                "additionalProperties": False,
            },
            "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
        },
        "additionalProperties": False,
    }


def _rows(kind: datamap.Kind, user_id: int, fields: list[str]):
    for user_field in kind.user_fields or (None,):
        qs = kind.queryset_for(user_id, user_field).order_by("pk").values_list(*fields)
        yield from qs.iterator(chunk_size=CHUNK)


def _entry(name: str, when) -> zipfile.ZipInfo:
    """A compressed zip entry dated `when` (a bare name opened for writing is dated 1980)."""
    info = zipfile.ZipInfo(name, date_time=timezone.localtime(when).timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def write_zip(
    *, user_id: int, target, on_progress=lambda done, total: None, workspace: Path | None = None
) -> dict[str, int]:
    """Write the export of one account into the open binary file `target`. Returns row counts.

    The CSVs are written first to a folder of their own in `workspace` (else the work folder),
    removed when the zip is done or the build fails."""
    kinds = [kind for kind in registry.installed_kinds() if kind.exported]
    counts: dict[str, int] = {}
    csv_files: list[tuple[str, str]] = []
    generated_at = timezone.now()
    csv_dir = tempfile.mkdtemp(prefix="csv-", dir=workspace or work_dir())
    try:
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
            with zf.open(_entry("data.json", generated_at), "w", force_zip64=True) as raw:
                out = _Text(raw)
                header = {"format": "jobtrax-export", "format_version": FORMAT_VERSION}
                header["generated_at"] = generated_at.isoformat()
                out.write(json.dumps(header)[:-1] + ', "records": {')
                for index, kind in enumerate(kinds):
                    fields = kind.export_fields()
                    handle, csv_path = tempfile.mkstemp(suffix=".csv", dir=csv_dir)
                    csv_files.append((f"{kind.name}.csv", csv_path))
                    count = 0
                    with os.fdopen(handle, "w", newline="", encoding="utf-8") as csv_out:
                        writer = csvsafe.writer(csv_out)
                        writer.writerow(fields)
                        out.write(("," if index else "") + json.dumps(kind.name) + ": [")
                        for row in _rows(kind, user_id, fields):
                            values = [_plain(v) for v in row]
                            record = dict(zip(fields, values, strict=True))
                            out.write(("," if count else "") + json.dumps(record))
                            writer.writerow(
                                [json.dumps(v) if isinstance(v, dict | list) else v for v in values]
                            )
                            count += 1
                        out.write("]")
                    counts[kind.name] = count
                    on_progress(index + 1, len(kinds))
                out.write('}, "counts": ' + json.dumps(counts) + "}")
                out.flush()
            for arcname, path in csv_files:
                zf.write(path, arcname)
            zf.writestr("schema.json", json.dumps(export_schema(kinds), indent=2))
            zf.writestr("README.html", _readme(kinds, counts, generated_at))
    finally:
        shutil.rmtree(csv_dir, ignore_errors=True)
    return counts


class _Text:
    """Buffered UTF-8 writes to a zip entry, without holding the whole document."""

    def __init__(self, raw, limit: int = 64 * 1024):
        self.raw, self.limit, self.parts, self.size = raw, limit, [], 0

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)
        if self.size >= self.limit:
            self.flush()

    def flush(self) -> None:
        if self.parts:
            self.raw.write("".join(self.parts).encode("utf-8"))
            self.parts, self.size = [], 0


def _readme(kinds, counts, generated_at) -> str:
    rows = [
        {
            "kind": kind,
            "count": counts.get(kind.name, 0),
            "retention": registry.retention_display(kind),
            "csv": f"{kind.name}.csv",
        }
        for kind in kinds
    ]
    withheld = [kind for kind in registry.installed_kinds() if not kind.exported]
    return render_to_string(
        "rights/export_readme.html",
        {
            "rows": rows,
            "withheld": withheld,
            "generated_at": generated_at,
            "format_version": FORMAT_VERSION,
            "privacy_email": settings.JOBTRAX_PRIVACY_EMAIL,
            "company": settings.JOBTRAX_COMPANY_NAME,
        },
    )


def build_zip(export) -> None:
    """Build the zip of `export` and attach it to the row (file and size, not yet saved)."""
    from rights.models import DataExport

    def progress(done: int, total: int) -> None:
        DataExport.objects.filter(pk=export.pk, attempts=export.attempts).update(
            progress=int(95 * done / total), heartbeat_at=timezone.now()
        )

    # What killed builds left goes now too, not only at the retention run (export_workspace).
    work_dir_sweep(cutoff=timezone.now() - datamap.policy("export_workspace").window)
    workspace = Path(tempfile.mkdtemp(prefix=f"export-{export.pk}-", dir=work_dir()))
    try:
        # 0600 from its creation (mkstemp makes the CSVs so too), whatever the umask.
        handle = os.open(workspace / "export.zip", os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(handle, "w+b") as target:
            write_zip(
                user_id=export.user_id, target=target, on_progress=progress, workspace=workspace
            )
            target.seek(0)
            name = f"export-{export.pk}-{secrets.token_hex(8)}.zip"
            export.file.save(name, File(target), save=False)
            export.size = export.file.size
    finally:
        shutil.rmtree(workspace, ignore_errors=True)
