"""`make run`: migrate, then serve the app with a Celery worker and one beat, on the defaults.

Without REDIS_URL the broker is a folder under var/, so scheduled jobs really run on SQLite.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_ADDRESS = "127.0.0.1:8000"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}  # noqa: S104 - compared, not bound


def serve_environment(environ: dict[str, str]) -> dict[str, str]:
    """The environment of the web process, worker and beat: emailed links (SITE_URL) point at
    the address served here, unless SITE_URL is set explicitly."""
    address = environ.get("JOBTRAX_ADDRESS") or DEFAULT_ADDRESS
    return {
        "DJANGO_SETTINGS_MODULE": "jobtrax.settings",
        **environ,
        "JOBTRAX_ADDRESS": address,
        "SITE_URL": environ.get("SITE_URL") or f"http://{address}",
    }


def prepare_folders(settings) -> None:
    """The var/ folder, and the mail folder from the first start (not the first email)."""
    Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
    if settings.EMAIL_BACKEND == "jobtrax.mail.FolderEmailBackend":
        Path(settings.EMAIL_FILE_PATH).mkdir(parents=True, exist_ok=True)


def _local(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host in LOCAL_HOSTS or host.endswith(".localhost")


def startup_notes(settings, address: str) -> list[str]:
    """What `make run` says once at start: where it serves, where mail goes, and only the
    warnings that are true of this set-up."""
    notes = [f"JobTrax is starting at http://{address}/"]
    if settings.EMAIL_BACKEND == "jobtrax.mail.FolderEmailBackend":
        notes.append(
            f"Outgoing mail is written to {Path(settings.EMAIL_FILE_PATH).resolve()}: open the "
            "newest .eml file there to follow a verification link."
        )
    if _local(settings.SITE_URL):
        notes.append(
            f"Links in emails point to {settings.SITE_URL}/, which works only on this "
            "computer. Set SITE_URL to the address others reach to share it."
        )
    geoip = settings.GEOIP_COUNTRY_DB
    if not geoip or not Path(geoip).is_file():
        notes.append(
            "No GeoIP database is set, so a new account's location stays unknown unless the "
            "person picks a country. Set GEOIP_COUNTRY_DB to a GeoLite2 Country or City file "
            "to infer it."
        )
    return notes


def main() -> int:
    os.environ.update(serve_environment(dict(os.environ)))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from jobtrax.celery import QUEUES

    prepare_folders(settings)
    call_command("migrate", interactive=False, verbosity=1)
    address = os.environ["JOBTRAX_ADDRESS"]
    python = sys.executable
    commands = {
        "web": [python, "manage.py", "runserver", address, "--noreload"],
        "worker+beat": [
            python, "-m", "celery", "-A", "jobtrax", "worker", "--beat",
            "--loglevel", "INFO", "--concurrency", "2", "--queues", ",".join(QUEUES),
            "--schedule", settings.CELERY_BEAT_SCHEDULE_FILENAME,
        ],
    }  # fmt: skip
    print("\n".join(startup_notes(settings, address)) + "\n", flush=True)
    processes = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}  # noqa: S603

    def stop(*_args) -> None:
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while all(process.poll() is None for process in processes.values()):
            time.sleep(0.5)
    finally:
        stop()
        for process in processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
    return max((process.returncode or 0) for process in processes.values())


if __name__ == "__main__":
    sys.exit(main())
