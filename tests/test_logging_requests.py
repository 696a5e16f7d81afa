"""The request log: what one entry holds, what is never logged, and that logging never breaks."""

import time
from http import HTTPStatus
from types import SimpleNamespace

import pytest
from django.db import OperationalError, connection

from jobtrax.useragent import parse_user_agent
from logs_retention.models import LogCounter, RequestLog
from logs_retention.requestlog import buffer, dropped_count
from logs_retention.services import request_log_flush

FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)
SAFARI_IPAD = SAFARI_IPHONE.replace("iPhone; CPU iPhone OS", "iPad; CPU OS")
CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@pytest.mark.django_db
def test_it_logs_the_route_name_never_the_path_or_query(client):
    response = client.get("/?q=alice%40example.com&token=s3cret", HTTP_USER_AGENT=FIREFOX_LINUX)
    assert response.status_code == HTTPStatus.OK

    assert request_log_flush() == 1
    entry = RequestLog.objects.get()
    assert (entry.method, entry.route, entry.status) == ("GET", "home", 200)
    values = " ".join(str(v) for v in RequestLog.objects.values().get().values())
    assert "alice" not in values and "s3cret" not in values and "?" not in values


@pytest.mark.django_db
def test_it_logs_time_duration_user_ip_and_the_parsed_browser(client_logged_in, user, monkeypatch):
    # The request's own clock reads 100.0 s as it comes in and 100.25 s as it goes out.
    ticks = iter([100.0, 100.25])
    monkeypatch.setattr(
        "logs_retention.requestlog.time", SimpleNamespace(perf_counter=lambda: next(ticks))
    )
    before = time.time()
    client_logged_in.get("/", HTTP_USER_AGENT=FIREFOX_LINUX, REMOTE_ADDR="81.2.69.142")
    request_log_flush()

    entry = RequestLog.objects.get()
    assert before - 1 <= entry.created_at.timestamp() <= time.time() + 1
    assert entry.duration_ms == 250
    assert entry.user_id == user.pk
    assert (entry.ip, entry.ip_network) == ("81.2.69.142", "81.2.69.0")
    assert (entry.browser_family, entry.browser_major) == ("Firefox", "128")
    assert (entry.os_family, entry.device_type) == ("Linux", "desktop")
    assert not entry.anonymised


@pytest.mark.django_db
def test_it_truncates_ipv6_to_a_48(client):
    client.get("/", REMOTE_ADDR="2001:db8:abcd:12:34::1")
    request_log_flush()

    assert RequestLog.objects.get().ip_network == "2001:db8:abcd::"


@pytest.mark.django_db
def test_it_logs_no_user_for_visitors_and_the_status_of_errors(client):
    client.get("/no-such-page/")
    request_log_flush()

    entry = RequestLog.objects.get()
    assert (entry.user_id, entry.status, entry.route) == (None, 404, "")


@pytest.mark.parametrize(
    ("agent", "expected"),
    [
        (FIREFOX_LINUX, ("Firefox", "128", "Linux", "desktop")),
        (CHROME_WINDOWS, ("Chrome", "120", "Windows", "desktop")),
        (SAFARI_IPHONE, ("Mobile Safari", "17", "iOS", "mobile")),
        (SAFARI_IPAD, ("Mobile Safari", "17", "iOS", "tablet")),
        (GOOGLEBOT, ("Googlebot", "2", "Other", "bot")),
        ("curl/8.0", ("curl", "8", "Other", "other")),
        ("\x00garbage" * 100, ("Other", "", "Other", "other")),
    ],
)
def test_it_parses_user_agents_into_coarse_facts(agent, expected):
    family, major, os_family, device = parse_user_agent(agent[:512])
    assert (family or "Other", major, os_family or "Other", device) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/static/css/site.css", "/static/missing.js"])
def test_it_never_logs_health_checks_or_static_files(client, path):
    client.get(path)
    assert request_log_flush() == 0
    assert not RequestLog.objects.exists()


@pytest.mark.django_db
def test_a_failing_log_write_does_not_break_the_request_and_is_counted(client, settings):
    settings.REQUEST_LOG_BATCH = 1  # the request itself writes its entry, and fails
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE logs_retention_requestlog RENAME TO requestlog_away")
    try:
        response = client.get("/")
        second = client.get("/")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE requestlog_away RENAME TO logs_retention_requestlog")

    assert response.status_code == second.status_code == HTTPStatus.OK
    assert dropped_count() == 2
    assert not RequestLog.objects.exists()
    assert buffer.pending() == 0

    client.get("/")  # the table is back: logging resumes
    assert RequestLog.objects.count() == 1
    assert LogCounter.objects.get(name=LogCounter.DROPPED_REQUEST_LOGS).value == 2


@pytest.mark.django_db
def test_it_writes_in_batches_of_the_configured_size(client, settings):
    settings.REQUEST_LOG_BATCH = 3
    client.get("/")
    client.get("/")
    assert RequestLog.objects.count() == 0
    assert buffer.pending() == 2

    client.get("/")

    assert RequestLog.objects.count() == 3
    assert buffer.pending() == 0


def _written() -> bool:
    try:
        return RequestLog.objects.exists()
    except OperationalError:
        # The test database is SQLite in memory with a shared cache, where a reader meets the
        # flusher's write lock at once instead of waiting for it: just look again.
        return False


@pytest.mark.django_db(transaction=True)
def test_a_background_thread_flushes_after_a_few_seconds_at_most(client, settings):
    settings.REQUEST_LOG_BACKGROUND_FLUSH = True
    settings.REQUEST_LOG_FLUSH_SECONDS = 0.1
    try:
        client.get("/")
        deadline = time.monotonic() + 5
        while not _written() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        settings.REQUEST_LOG_BACKGROUND_FLUSH = False
        buffer.stop_thread()

    assert RequestLog.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_entries_of_an_account_erased_before_the_write_are_kept_without_it(client):
    from accounts.models import User
    from tests.conftest import make_user

    carol = make_user("carol@example.com")
    client.force_login(carol)
    client.get("/")
    client.get("/")
    User.objects.filter(pk=carol.pk).delete()

    assert request_log_flush() == 2
    assert list(RequestLog.objects.values_list("user_id", flat=True)) == [None, None]
    assert dropped_count() == 0
