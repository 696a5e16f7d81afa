"""The house style is checked by ruff, as part of the suite."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]


def ruff() -> str:
    found = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    if not Path(found).exists():
        pytest.skip("ruff is not installed")
    return found


@pytest.mark.parametrize("command", [["check", "."], ["format", "--check", "."]])
def test_the_code_passes_ruff(command):
    result = subprocess.run(  # noqa: S603
        [ruff(), *command], cwd=PROJECT, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stdout + result.stderr
