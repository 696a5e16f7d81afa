"""`make run`: emailed links point at the address it serves."""

import subprocess
import sys

import pytest

from jobtrax.devrun import serve_environment
from tests.workers import PROJECT_ROOT


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"JOBTRAX_ADDRESS": "0.0.0.0:9000"}, "http://0.0.0.0:9000"),
        ({"SITE_URL": "https://jobtrax.example"}, "https://jobtrax.example"),
    ],
)
def test_it_points_site_url_at_the_served_address(environ, expected):
    assert serve_environment(environ)["SITE_URL"] == expected


def test_the_processes_it_starts_read_that_site_url(tmp_path):
    env = serve_environment(
        {
            "PATH": "/usr/bin:/bin",
            "DJANGO_DEBUG": "true",
            "JOBTRAX_VAR_DIR": str(tmp_path),
            "JOBTRAX_ADDRESS": "127.0.0.1:8765",
        }
    )
    shown = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); "
         "from django.conf import settings; print(settings.SITE_URL)"],
        cwd=PROJECT_ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    assert shown == "http://127.0.0.1:8765"


def _settings(tmp_path, **values):
    from types import SimpleNamespace

    base = {
        "VAR_DIR": str(tmp_path / "var"),
        "EMAIL_BACKEND": "jobtrax.mail.FolderEmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "var" / "mail"),
        "SITE_URL": "http://127.0.0.1:8000",
        "GEOIP_COUNTRY_DB": "",
    }
    return SimpleNamespace(**{**base, **values})


def test_the_mail_folder_exists_from_the_first_start_and_is_named(tmp_path):
    from jobtrax.devrun import prepare_folders, startup_notes

    settings = _settings(tmp_path)
    prepare_folders(settings)

    assert (tmp_path / "var" / "mail").is_dir()
    notes = "\n".join(startup_notes(settings, "127.0.0.1:8000"))
    assert str((tmp_path / "var" / "mail").resolve()) in notes


def test_the_localhost_hint_is_given_only_when_links_point_to_localhost(tmp_path):
    from jobtrax.devrun import startup_notes

    local = "\n".join(startup_notes(_settings(tmp_path), "127.0.0.1:8000"))
    shared = "\n".join(
        startup_notes(_settings(tmp_path, SITE_URL="https://jobtrax.example"), "0.0.0.0:8000")
    )

    assert "works only on this computer" in local
    assert "works only on this computer" not in shared


def test_the_geoip_database_is_mentioned_once_in_plain_words_when_missing(tmp_path):
    from jobtrax.devrun import startup_notes

    database = tmp_path / "country.mmdb"
    database.write_bytes(b"")
    missing = startup_notes(_settings(tmp_path), "127.0.0.1:8000")
    present = startup_notes(_settings(tmp_path, GEOIP_COUNTRY_DB=str(database)), "x:1")

    assert sum("location stays unknown" in note for note in missing) == 1
    assert not any("GeoIP" in note for note in present)


def test_the_development_server_start_shows_no_geoip_system_check_warning(tmp_path):
    env = serve_environment(
        {"PATH": "/usr/bin:/bin", "DJANGO_DEBUG": "true", "JOBTRAX_VAR_DIR": str(tmp_path),
         "GEOIP_COUNTRY_DB": ""}
    )  # fmt: skip
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert "GEOIP" not in result.stdout + result.stderr
