"""`manage.py create_staff`: one role per person, a prompted password never printed."""

import os
import re
import shlex
import sqlite3
import subprocess
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from accounts.models import User
from accounts.roles import OPS, PRIVACY_OFFICER, ROLE_CHOICES, SUPPORT
from tests.workers import PROJECT_ROOT

NEW_PASSWORD = "Another-long-passphrase-77"


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("create_staff", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def typed(monkeypatch):
    """Answers typed at the password prompts, in order."""
    answers: list[str] = []
    monkeypatch.setattr("getpass.getpass", lambda prompt="": answers.pop(0))
    return answers


@pytest.mark.parametrize(
    ("role", "group"), [("support", SUPPORT), ("privacy", PRIVACY_OFFICER), ("ops", OPS)]
)
def test_it_creates_a_staff_account_with_one_role(db, typed, role, group):
    typed.extend([NEW_PASSWORD, NEW_PASSWORD])

    out, _ = run("--email", "Carol@Example.com", "--role", role)

    carol = User.objects.get(email="carol@example.com")
    assert carol.is_staff and not carol.is_superuser
    assert list(carol.groups.values_list("name", flat=True)) == [group]
    assert carol.check_password(NEW_PASSWORD)
    assert EmailAddress.objects.get(user=carol).verified
    assert NEW_PASSWORD not in out
    assert "/accounts/2fa/totp/activate/" in out
    assert out.strip().endswith(f"with the role {group}.")


def test_it_moves_an_existing_account_to_another_role(db, user):
    run("--email", user.email, "--role", "support")
    out, _ = run("--email", user.email, "--role", "ops")
    user.refresh_from_db()
    assert user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == [OPS]
    assert user.check_password("correct-Horse-battery-staple-42")
    assert "Updated staff account" in out


def test_it_leaves_the_password_unset_when_asked(db):
    out, _ = run("--email", "dan@example.com", "--role", "ops", "--no-password")
    dan = User.objects.get(email="dan@example.com")
    assert not dan.has_usable_password()
    assert "Forgot password" in out


def test_it_asks_again_for_a_weak_or_mismatched_password(db, typed):
    typed.extend(["short", "short", NEW_PASSWORD, "different-Passphrase-88"])
    typed.extend([NEW_PASSWORD, NEW_PASSWORD])
    _, err = run("--email", "erin@example.com", "--role", "support")
    assert "too short" in err
    assert "differ" in err
    assert User.objects.get(email="erin@example.com").check_password(NEW_PASSWORD)


def test_it_creates_nothing_after_three_bad_passwords(db, typed):
    typed.extend(["short", "short"] * 3)
    with pytest.raises(CommandError):
        run("--email", "frank@example.com", "--role", "support")
    assert not User.objects.filter(email="frank@example.com").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["--email", "not-an-email", "--role", "support"],
        ["--email", "gina@example.com", "--role", "superuser"],
        ["--email", "gina@example.com"],
    ],
)
def test_it_rejects_bad_input(db, args):
    with pytest.raises(CommandError):
        run(*args, "--no-password")
    assert not User.objects.filter(email="gina@example.com").exists()


def _readme_line() -> str:
    readme = (PROJECT_ROOT / "README.md").read_text()
    [line] = re.findall(r"^make staff .+$", readme, re.MULTILINE)
    return line


def test_the_readme_line_creates_a_staff_account_on_the_default_setup(tmp_path):
    """The command the README gives, as a newcomer types it: no SECRET_KEY, no database yet."""
    line = _readme_line()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DJANGO_", "PYTEST_"))
    }
    env["JOBTRAX_VAR_DIR"] = str(tmp_path)

    done = subprocess.run(
        shlex.split(line), cwd=PROJECT_ROOT, env=env, input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n",
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    email = re.search(r"EMAIL=(\S+)", line).group(1)
    role = ROLE_CHOICES[re.search(r"ROLE=(\S+)", line).group(1)]
    database = sqlite3.connect(tmp_path / "jobtrax.sqlite3")
    rows = database.execute(
        "SELECT u.is_staff, g.name FROM accounts_user u "
        "JOIN accounts_user_groups ug ON ug.user_id = u.id "
        "JOIN auth_group g ON g.id = ug.group_id WHERE u.email = ?",
        (email,),
    ).fetchall()
    database.close()
    assert rows == [(1, role)]
    assert NEW_PASSWORD not in done.stdout + done.stderr
