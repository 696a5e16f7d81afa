"""An export is built in a folder of the app's own, emptied even when the build fails; whatever a
killed build left there is removed after a day by a retention job."""

import os
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from rights import services
from rights.models import DataExport
from tests.conftest import make_user


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    return tmp_path / "media"


@pytest.fixture
def workspace(settings, tmp_path):
    settings.RIGHTS_EXPORT_WORK_DIR = str(tmp_path / "var" / "exports-tmp")
    return tmp_path / "var" / "exports-tmp"


@pytest.fixture
def system_temp(tmp_path, monkeypatch):
    """The system's temp folder, watched: nothing of an export may land there."""
    import tempfile

    folder = tmp_path / "system-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def files_under(folder) -> list[str]:
    return sorted(path.name for path in folder.rglob("*") if path.is_file())


def test_it_builds_in_its_own_folder_and_empties_it_when_the_build_fails(
    user, workspace, system_temp, monkeypatch
):
    """The build dies after every CSV is written, before the zip is closed."""
    from rights import export as export_module

    seen_during_build = []

    def die_while_building(*args, **kwargs):
        seen_during_build.extend(files_under(workspace))
        raise MemoryError("the worker ran out of memory")

    monkeypatch.setattr(export_module, "_readme", die_while_building)
    export = DataExport.objects.create(user=user, token="w" * 43)

    assert services.export_build(export_id=export.pk) is False

    assert "account.csv" not in seen_during_build  # named by kind only inside the zip
    assert any(name.endswith(".csv") for name in seen_during_build)
    assert any(name.endswith(".zip") for name in seen_during_build)
    assert files_under(system_temp) == []
    assert files_under(workspace) == []
    assert DataExport.objects.get(pk=export.pk).status == DataExport.Status.FAILED


def test_a_finished_build_leaves_only_the_downloadable_zip(user, workspace, system_temp, media):
    export = DataExport.objects.create(user=user, token="x" * 43)

    assert services.export_build(export_id=export.pk) is True

    assert files_under(workspace) == []
    assert files_under(system_temp) == []
    assert len(files_under(media)) == 1


def _leftover(workspace, name: str, *, age: timedelta):
    folder = workspace / name
    folder.mkdir(parents=True)
    (folder / "tmp1234.csv").write_text("email\nalice@example.com\n")
    stamp = time.time() - age.total_seconds()
    for path in (folder / "tmp1234.csv", folder):
        os.utime(path, (stamp, stamp))
    return folder


def test_a_retention_job_removes_what_a_killed_build_left_after_a_day(db, workspace):
    from logs_retention.services import retention_run

    killed = _leftover(workspace, "export-7-abc", age=timedelta(hours=25))
    running = _leftover(workspace, "export-8-def", age=timedelta(minutes=3))

    run = retention_run(policy_name="export_workspace")

    assert not killed.exists()
    assert running.exists() and files_under(running) == ["tmp1234.csv"]
    assert run.rows_deleted == 1


def test_a_dry_run_counts_the_leftovers_and_keeps_them(db, workspace):
    from logs_retention.services import retention_preview

    killed = _leftover(workspace, "export-7-abc", age=timedelta(days=3))

    assert retention_preview(policy_name="export_workspace") == [
        ("export build leftovers", "1 left over")
    ]
    assert killed.exists()


def test_the_next_build_also_clears_old_leftovers(db, workspace, system_temp):
    killed = _leftover(workspace, "export-7-abc", age=timedelta(days=2))
    alice = make_user("carol@example.com")
    export = DataExport.objects.create(user=alice, token="y" * 43, created_at=timezone.now())

    services.export_build(export_id=export.pk)

    assert not killed.exists()


# A killed worker: private staging, cleaned when a worker starts and every hour ---------------


def test_the_build_stages_in_a_private_folder_with_private_files(
    user, workspace, system_temp, monkeypatch
):
    import stat

    from rights import export as export_module

    workspace.mkdir(parents=True, mode=0o755)
    workspace.chmod(0o755)  # as an older version, or a permissive umask, left it
    modes = {}

    def readme_and_look(*args, **kwargs):
        modes["work folder"] = stat.S_IMODE(workspace.stat().st_mode)
        for path in workspace.rglob("*"):
            modes[path.name if path.is_file() else "build folder"] = stat.S_IMODE(
                path.stat().st_mode
            )
        return original(*args, **kwargs)

    original = export_module._readme
    monkeypatch.setattr(export_module, "_readme", readme_and_look)
    export = DataExport.objects.create(user=user, token="p" * 43)

    assert services.export_build(export_id=export.pk) is True

    assert modes["work folder"] == 0o700
    files = {name: mode for name, mode in modes.items() if name.endswith((".csv", ".zip"))}
    assert files and set(files.values()) == {0o600}, modes


def test_a_starting_worker_removes_what_a_killed_build_left_and_keeps_live_builds(user, workspace):
    from jobtrax.celery import _clean_export_workspace

    dead = DataExport.objects.create(
        user=user, token="d" * 43, status=DataExport.Status.RUNNING,
        heartbeat_at=timezone.now() - timedelta(hours=1),
    )  # fmt: skip
    live = DataExport.objects.create(
        user=make_user("bob@example.com"), token="l" * 43, status=DataExport.Status.RUNNING,
        heartbeat_at=timezone.now(),
    )  # fmt: skip
    killed = _leftover(workspace, f"export-{dead.pk}-abc", age=timedelta(minutes=20))
    running = _leftover(workspace, f"export-{live.pk}-def", age=timedelta(minutes=20))
    stray = _leftover(workspace, "csv-xyz", age=timedelta(minutes=1))

    _clean_export_workspace()

    assert not killed.exists() and not stray.exists()
    assert running.exists()


def test_the_work_folder_is_cleaned_every_hour(db, workspace):
    from jobtrax.celery import app
    from rights.tasks import export_workspace_clean

    killed = _leftover(workspace, "export-99999-abc", age=timedelta(minutes=5))
    entry = app.conf.beat_schedule["rights-export-workspace-clean"]

    assert entry["task"] == "rights.tasks.export_workspace_clean"
    assert entry["schedule"] <= 3600
    assert export_workspace_clean() == 1
    assert not killed.exists()
