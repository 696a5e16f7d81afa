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
