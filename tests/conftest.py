"""Shared fixtures: users (alice the owner, bob the other user, staff), clients, GeoIP, services."""

import os
import socket
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

IN_CI = os.environ.get("CI", "").lower() == "true"
PASSWORD = "correct-Horse-battery-staple-42"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SHARED_GEOIP = Path(__file__).resolve().parents[2] / "shared" / "geoip-test-data"


def need(condition: bool, reason: str) -> None:
    """Skip when a service is missing on a developer machine; fail under CI=true."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required under CI: {reason}")
    pytest.skip(reason)


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session", autouse=True)
def _celery_eager():
    """Tasks run inline by default; the real-worker tests start their own worker."""
    from jobtrax.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield


@pytest.fixture
def password() -> str:
    return PASSWORD


def make_user(email: str, *, verified: bool = True, **extra):
    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from accounts.models import User

    extra.setdefault("adult_confirmed_at", timezone.now())
    user = User.objects.create_user(email=email, password=PASSWORD, **extra)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user


@pytest.fixture
def user(db):
    return make_user("alice@example.com")


@pytest.fixture
def other_user(db):
    return make_user("bob@example.com")


@pytest.fixture
def staff_user(db):
    return make_user("staff@example.com", is_staff=True)


@pytest.fixture
def superuser(db):
    return make_user("root@example.com", is_staff=True, is_superuser=True)


@pytest.fixture
def client_logged_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture(scope="session")
def geoip_city_db(tmp_path_factory) -> Path:
    from tests.geoip_fixture import build_city_db

    return build_city_db(tmp_path_factory.mktemp("geoip") / "City-Test.mmdb")


@pytest.fixture(scope="session")
def geoip_country_db(tmp_path_factory) -> Path:
    from tests.geoip_fixture import build_country_db

    return build_country_db(tmp_path_factory.mktemp("geoip") / "Country-Test.mmdb")


@pytest.fixture
def geoip(settings, geoip_city_db):
    """Point the app at the test City database; reset the per-process reader around it."""
    from accounts import geo

    settings.GEOIP_COUNTRY_DB = str(geoip_city_db)
    geo.reset_reader()
    yield geoip_city_db
    geo.reset_reader()


@pytest.fixture
def shared_geoip() -> Path:
    need(SHARED_GEOIP.is_dir(), "MaxMind's shared test databases are not next to the project")
    return SHARED_GEOIP


@pytest.fixture
def require_postgres(db):
    from django.db import connection

    need(connection.vendor == "postgresql", "needs DATABASE_URL pointing at PostgreSQL")


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    need(bool(url), "needs REDIS_URL")
    from urllib.parse import urlparse

    parsed = urlparse(url)
    need(_port_open(parsed.hostname or "127.0.0.1", parsed.port or 6379), f"Redis at {url}")
    return url


def closed_port() -> int:
    """A loopback port nothing listens on: bound once, then released."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_down(settings):
    """The cache and the broker point at a real closed port, as when Redis is unreachable."""
    from jobtrax import cache as safe_cache

    url = f"redis://127.0.0.1:{closed_port()}/0"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    }
    settings.CELERY_BROKER_URL = url
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    safe_cache.reset()
    yield url
    safe_cache.reset()


@pytest.fixture(scope="session")
def playwright_driver():
    """One Playwright per test process: its sync API cannot be started twice in a process."""
    need(Path(CHROMIUM).exists(), "Debian's chromium is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover
        need(False, "playwright is not installed")
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright_driver):
    instance = playwright_driver.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    yield instance
    instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _request_log_in_test_thread():
    """No background flusher in tests: request-log entries wait until a test flushes them."""
    from django.conf import settings

    from logs_retention.requestlog import buffer

    settings.REQUEST_LOG_BACKGROUND_FLUSH = False
    buffer.discard()
    yield
    buffer.discard()


# Under pytest-xdist each test process is a worker ("gw0", "gw1", ...); alone, "main".
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session", autouse=True)
def _own_files_and_cache(tmp_path_factory):
    """Each test process keeps its files (media, the export workspace, mail files) in its own
    temporary folder, never the checkout's var/, and its cache keys under its own prefix: the
    workers of a parallel run never read, clear or purge one another's."""
    import copy

    from django.conf import settings
    from django.test import override_settings

    var = tmp_path_factory.mktemp("var")
    storages = copy.deepcopy(settings.STORAGES)
    storages["default"].setdefault("OPTIONS", {})["location"] = str(var / "media")
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"{caches['default'].get('KEY_PREFIX', '')}-test-{WORKER}"
    override = override_settings(
        VAR_DIR=var,
        STORAGES=storages,
        CACHES=caches,
        RIGHTS_EXPORT_WORK_DIR=str(var / "exports-tmp"),
        EMAIL_FILE_PATH=str(var / "mail"),
    )
    override.enable()
    yield
    override.disable()


def _clear_cache(cache) -> None:
    """Empty this process's cache. A Redis database may be shared by parallel workers, so
    there only this process's keys (under its prefix) are deleted, never the whole database."""
    backend = getattr(cache, "_cache", None)
    if not hasattr(backend, "get_client"):
        cache.clear()
        return
    client = backend.get_client(write=True)
    keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and cached state never leak from one test into the next."""
    from django.core.cache import cache

    from jobtrax.cache import local_clear

    _clear_cache(cache)
    local_clear()
    yield


def staff_login(client, user) -> None:
    """Sign a staff member in as if through allauth with a TOTP code (the admin requires it)."""
    import time

    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        authenticator = TOTP.activate(user, generate_totp_secret()).instance
    client.force_login(user)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email},
        {"method": "mfa", "at": time.time(), "id": authenticator.pk, "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()


@pytest.fixture
def staff_client(client, staff_user):
    """A client signed in as `staff_user` with a second factor, as the admin requires."""
    staff_login(client, staff_user)
    return client


@pytest.fixture
def as_role(client, db):
    """Sign the client in, with a second factor, as a fresh staff member holding one role."""
    from django.contrib.auth.models import Group

    from accounts.roles import OPS, PRIVACY_OFFICER, SUPPORT, roles_sync

    names = {"support": SUPPORT, "privacy": PRIVACY_OFFICER, "ops": OPS}

    def sign_in(role: str):
        roles_sync()
        member = make_user(f"{role}-staff@example.com", is_staff=True)
        member.groups.add(Group.objects.get(name=names[role]))
        staff_login(client, member)
        return member

    return sign_in
