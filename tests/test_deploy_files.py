"""The deployment files: one image, a compose file with every service, health checks, one beat."""

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

PROJECT = Path(__file__).resolve().parents[1]
COMPOSE = PROJECT / "docker-compose.yml"
DOCKERFILE = PROJECT / "Dockerfile"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def test_it_runs_every_service_with_a_health_check(compose):
    services = compose["services"]

    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    for name in ("postgres", "redis", "web", "worker", "beat"):
        assert services[name].get("healthcheck", {}).get("test"), f"{name} has no health check"
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])


def test_it_runs_exactly_one_beat(compose):
    services = compose["services"]
    beats = [name for name, service in services.items() if "beat" in service.get("command", [])]

    assert beats == ["beat"]
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1
    worker_command = services["worker"]["command"]
    assert "--beat" not in worker_command and "-B" not in worker_command


def test_it_serves_with_gunicorn_and_wires_postgres_and_redis(compose):
    web = compose["services"]["web"]
    env = web["environment"]

    assert "gunicorn" in DOCKERFILE.read_text()
    assert "command" not in web or "gunicorn" in " ".join(web["command"])
    assert env["DATABASE_URL"].startswith("postgres://")
    assert "@postgres:5432/" in env["DATABASE_URL"]
    assert env["REDIS_URL"].startswith("redis://redis:")
    assert env["SECURE_HTTPS"] == "true"
    assert "DJANGO_DEBUG" not in env
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "GEOIP_COUNTRY_DB", "SENTRY_DSN", "EMAIL_HOST"):
        assert name in env
    for service in ("web", "worker", "beat"):
        depends = compose["services"][service]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"


def test_it_builds_a_slim_image_that_runs_as_a_non_root_user():
    lines = [line.strip() for line in DOCKERFILE.read_text().splitlines()]

    assert lines[[i for i, x in enumerate(lines) if x.startswith("FROM")][0]] == (
        "FROM python:3.11-slim"
    )
    assert any(line.startswith("RUN pip install .") for line in lines)
    assert any("collectstatic --noinput" in line for line in lines)
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in {"root", "0"}


def test_it_keeps_secrets_and_local_state_out_of_the_image():
    ignored = set((PROJECT / ".dockerignore").read_text().split())

    assert {".git", ".venv", ".env", "var/", "*.sqlite3"} <= ignored


def _compose_cli() -> list[str] | None:
    docker = shutil.which("docker")
    if docker:
        probe = subprocess.run([docker, "compose", "version"], capture_output=True, timeout=30)
        if probe.returncode == 0:
            return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


def test_docker_compose_accepts_the_file():
    cli = _compose_cli()
    if cli is None:
        pytest.skip("neither `docker compose` nor `docker-compose` is installed")

    result = subprocess.run(
        [*cli, "--file", str(COMPOSE), "config", "--quiet"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/local/bin:/usr/bin:/bin", "SECRET_KEY": "x" * 50},
    )

    assert result.returncode == 0, result.stderr


def test_it_writes_no_access_log_with_client_addresses_or_secret_paths():
    text = DOCKERFILE.read_text() + COMPOSE.read_text()

    assert "--access-logfile" not in text
    assert "--access-log" not in text


def test_each_queue_has_exactly_one_worker_pool(compose):
    from jobtrax.celery import QUEUES

    consumed: list[str] = []
    for name, service in compose["services"].items():
        command = service.get("command") or []
        if "worker" not in command:
            continue
        queues = command[command.index("--queues") + 1].split(",")
        hostname = command[command.index("--hostname") + 1].split("@")[0]
        assert f"--destination {hostname}@" in " ".join(service["healthcheck"]["test"]), name
        consumed += queues

    assert sorted(consumed) == sorted(QUEUES)


def test_gunicorn_writes_client_ips_truncated_in_its_error_log(tmp_path):
    from gunicorn.config import Config

    from jobtrax.gunicorn_logging import TruncatedIPLogger

    log_file = tmp_path / "error.log"
    config = Config()
    config.set("errorlog", str(log_file))
    config.set("loglevel", "debug")
    logger = TruncatedIPLogger(config)

    logger.debug("Invalid request from ip={ip}: {error}".format(ip="203.0.113.9", error="bad"))
    logger.error("Error handling request from %s", "2001:db8:85a3:1234::7")
    logger.info("Booting worker at 20:39:27 with pid 42")
    for handler in logger.error_log.handlers:
        handler.flush()

    text = log_file.read_text()
    assert "203.0.113.0" in text and "203.0.113.9" not in text
    assert "2001:db8:85a3::" in text and "1234::7" not in text
    assert "20:39:27" in text


def test_every_gunicorn_command_uses_the_truncating_logger():
    readme = (DOCKERFILE.parent / "README.md").read_text()
    for text in (DOCKERFILE.read_text(), readme):
        assert "jobtrax.gunicorn_logging.TruncatedIPLogger" in text
