"""DATABASE_URL: SQLite files and PostgreSQL servers, and a loud error for anything else."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from jobtrax.env import parse_database_url


def test_it_reads_a_relative_sqlite_path():
    config = parse_database_url("sqlite:///var/jobtrax.sqlite3")

    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == "var/jobtrax.sqlite3"


def test_it_reads_an_absolute_sqlite_path():
    config = parse_database_url("sqlite:////srv/jobtrax/data/db.sqlite3")

    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == "/srv/jobtrax/data/db.sqlite3"


def test_it_decodes_escaped_characters_in_a_sqlite_path():
    assert parse_database_url("sqlite:////tmp/my%20data/db.sqlite3")["NAME"] == (
        "/tmp/my data/db.sqlite3"
    )


def test_it_waits_for_locks_and_takes_write_locks_up_front_on_sqlite():
    options = parse_database_url("sqlite:///db.sqlite3")["OPTIONS"]

    assert options["timeout"] >= 5
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]


def test_it_opens_a_sqlite_file_in_wal_mode(tmp_path, django_db_blocker):
    from django.db.backends.sqlite3.base import DatabaseWrapper

    config = parse_database_url(f"sqlite:///{tmp_path / 'wal.sqlite3'}")
    wrapper = DatabaseWrapper(
        {
            **config,
            "TIME_ZONE": None,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "AUTOCOMMIT": True,
        },
        alias="wal",
    )
    try:
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
    finally:
        wrapper.close()


@pytest.mark.parametrize("scheme", ["postgres", "postgresql", "pgsql"])
def test_it_reads_a_full_postgres_url(scheme):
    config = parse_database_url(
        f"{scheme}://jobtrax:s%40cret%2Fpass@db.internal:6543/jobtrax_prod"
        "?sslmode=require&connect_timeout=5"
    )

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "jobtrax_prod"
    assert config["USER"] == "jobtrax"
    assert config["PASSWORD"] == "s@cret/pass"
    assert config["HOST"] == "db.internal"
    assert config["PORT"] == "6543"
    assert config["OPTIONS"] == {"sslmode": "require", "connect_timeout": "5"}


def test_it_reads_a_minimal_postgres_url():
    config = parse_database_url("postgres://postgres@127.0.0.1/jobtrax")

    assert (config["USER"], config["PASSWORD"], config["HOST"], config["PORT"]) == (
        "postgres",
        "",
        "127.0.0.1",
        "",
    )
    assert config["OPTIONS"] == {}


def test_it_reads_an_ipv6_postgres_host():
    config = parse_database_url("postgres://app@[::1]:5432/jobtrax")

    assert (config["HOST"], config["PORT"]) == ("::1", "5432")


@pytest.mark.parametrize(
    "url",
    [
        "mysql://root@localhost/jobtrax",
        "redis://localhost:6379/0",
        "jobtrax.sqlite3",
        "",
        "sqlite://",
        "sqlite:///",
        "postgres://postgres@127.0.0.1:5432/",
        "postgres://postgres@127.0.0.1:port/jobtrax",
    ],
)
def test_it_fails_loudly_on_a_url_it_cannot_use(url):
    with pytest.raises(ImproperlyConfigured):
        parse_database_url(url)


def test_it_never_puts_the_password_in_its_error_messages():
    with pytest.raises(ImproperlyConfigured) as error:
        parse_database_url("postgres://app:hunter2-secret@db:notaport/jobtrax")

    assert "hunter2-secret" not in str(error.value)
