"""No users under 18 (notice section 8): the floor holds whatever the environment says."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import checks

from accounts.forms import SignupForm

PROJECT = Path(__file__).resolve().parents[1]
READ_AGE = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.JOBTRAX_MINIMUM_AGE)"
)


def start_with(age: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "JOBTRAX_MINIMUM_AGE"}
    env |= {"DJANGO_SETTINGS_MODULE": "jobtrax.settings", "SECRET_KEY": "test-only-not-secret"}
    if age is not None:
        env["JOBTRAX_MINIMUM_AGE"] = age
    return subprocess.run(
        [sys.executable, "-c", READ_AGE],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_default_minimum_age_is_18():
    result = start_with(None)

    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) == 18


@pytest.mark.parametrize("age", ["17", "16", "13", "0", "-1"])
def test_the_site_refuses_to_start_with_a_minimum_age_under_18(age):
    result = start_with(age)

    assert result.returncode != 0
    assert "JOBTRAX_MINIMUM_AGE must be at least 18" in result.stderr


def test_a_higher_minimum_age_is_allowed():
    result = start_with("21")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "21"


def test_a_floor_lowered_in_code_fails_the_system_checks(settings):
    settings.JOBTRAX_MINIMUM_AGE = 17

    errors = [e for e in checks.run_checks() if e.id == "jobtrax.E022"]

    assert errors and errors[0].level == checks.ERROR


def test_the_signup_form_asks_for_the_minimum_age(db):
    form = SignupForm()

    assert form.fields["is_adult"].label == "I am 18 or older"
    assert form.fields["is_adult"].required
