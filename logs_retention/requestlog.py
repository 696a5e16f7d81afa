"""The request log: a middleware that buffers one small row per request, and the buffer.

A request only appends a tuple of raw values to an in-process list; parsing the address and
the User-Agent and building the rows happen off the request. A background thread writes the
list with
`bulk_create` every REQUEST_LOG_FLUSH_SECONDS or as soon as REQUEST_LOG_BATCH entries wait.
If the write fails the entries are dropped and the `request_logs_dropped` counter grows: the
request that produced them has long been answered. The rest is flushed at process exit.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.db import (
    IntegrityError,
    close_old_connections,
    connection,
    connections,
    transaction,
)
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from jobtrax.net import client_ip_candidate, parse_ip, truncate_ip
from jobtrax.useragent import parse_user_agent

logger = logging.getLogger(__name__)


class RequestLogBuffer:
    """Entries waiting to be written. Thread-safe; never raises into the caller."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list = []
        self._unreported_drops = 0
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._writer: Callable[[list], None] = _write_entries

    def add(self, entry) -> None:
        with self._lock:
            self._entries.append(entry)
            waiting = len(self._entries)
        if not settings.REQUEST_LOG_BACKGROUND_FLUSH:
            if waiting >= settings.REQUEST_LOG_BATCH:
                self.flush()
            return
        if waiting >= settings.REQUEST_LOG_BATCH:
            self._wake.set()
        if self._thread is None or not self._thread.is_alive():
            self._start_thread()

    def pending(self) -> int:
        with self._lock:
            return len(self._entries)

    def discard(self) -> None:
        with self._lock:
            self._entries = []
            self._unreported_drops = 0

    def flush(self) -> int:
        """Write what waits now, in the calling thread. Returns the number of rows written."""
        with self._lock:
            batch, self._entries = self._entries, []
        written = 0
        if batch:
            try:
                self._writer(batch)
                written = len(batch)
            except Exception:  # noqa: BLE001 - logging must never take the app down
                logger.warning("request log: dropped %d entries (write failed)", len(batch))
                with self._lock:
                    self._unreported_drops += len(batch)
        self._report_drops()
        return written

    def _report_drops(self) -> None:
        with self._lock:
            drops, self._unreported_drops = self._unreported_drops, 0
        if not drops:
            return
        try:
            dropped_count_add(drops)
        except Exception:  # noqa: BLE001 - the database is down: count again next time
            with self._lock:
                self._unreported_drops += drops

    def stop_thread(self, timeout: float = 5.0) -> None:
        """Wake the flusher so it notices it is switched off, and wait for it to end."""
        thread = self._thread
        if thread is not None and thread.is_alive():
            self._wake.set()
            thread.join(timeout)

    def _start_thread(self) -> None:
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._thread = threading.Thread(
                target=self._run, name="request-log-flusher", daemon=True
            )
            self._thread.start()

    def _run(self) -> None:
        while True:
            self._wake.wait(timeout=settings.REQUEST_LOG_FLUSH_SECONDS)
            self._wake.clear()
            if not settings.REQUEST_LOG_BACKGROUND_FLUSH:
                # Switched to flushing in the caller's thread: hand back the connection.
                connections.close_all()
                return
            try:
                close_old_connections()
                self.flush()
            except Exception:  # noqa: BLE001 - keep the flusher alive whatever happens
                logger.exception("request log flusher failed")


class RawEntry(NamedTuple):
    """What a request leaves in the buffer: cheap to take, turned into a row when written."""

    created_at: datetime
    method: str
    route: str
    status: int
    duration_ms: int
    user_id: int | None
    address: str
    user_agent: str


def _values(raw: RawEntry) -> tuple:
    """The row for a buffered entry, in COLUMNS' order: the address parsed once and
    truncated, the User-Agent reduced to its family, version, OS and device type."""
    address = parse_ip(raw.address)
    ip = str(address) if address is not None else None
    agent = raw.user_agent
    browser, major, os_family, device = parse_user_agent(agent) if agent else ("", "", "", "")
    return (raw.created_at, raw.method, raw.route, raw.status, raw.duration_ms, raw.user_id, ip,
            truncate_ip(ip), browser, major, os_family, device, False)  # fmt: skip


COLUMNS = (
    "created_at",
    "method",
    "route",
    "status",
    "duration_ms",
    "user_id",
    "ip",
    "ip_network",
    "browser_family",
    "browser_major",
    "os_family",
    "device_type",
    "anonymised",
)


def entry_row(raw: RawEntry):
    """The RequestLog row for a buffered entry (see _values)."""
    from logs_retention.models import RequestLog

    return RequestLog(**dict(zip(COLUMNS, _values(raw), strict=True)))


def _write_entries(batch: list) -> None:
    # Its own transaction (a savepoint inside an outer one), so a failed write rolls back alone.
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                _copy([_values(raw) for raw in batch])
            else:
                _insert([entry_row(raw) for raw in batch])
        return
    except IntegrityError:
        pass
    # An account erased between its request and this write: keep the entries, without the link.
    from django.contrib.auth import get_user_model

    rows = [entry_row(raw) for raw in batch]
    linked = {entry.user_id for entry in rows if entry.user_id is not None}
    existing = set(
        get_user_model()._base_manager.filter(pk__in=linked).values_list("pk", flat=True)
    )
    for entry in rows:
        if entry.user_id is not None and entry.user_id not in existing:
            entry.user_id = None
    with transaction.atomic():
        _insert(rows)


def _insert(rows: list) -> None:
    from logs_retention.models import RequestLog

    RequestLog.objects.bulk_create(rows, batch_size=500)


def _copy(rows: list[tuple]) -> None:
    """PostgreSQL's COPY: a tenth of the time bulk_create takes to build and send the rows,
    which matters as the flusher holds the interpreter while requests wait."""
    from logs_retention.models import RequestLog

    quote = connection.ops.quote_name
    sql = (
        f"COPY {quote(RequestLog._meta.db_table)} ({', '.join(quote(c) for c in COLUMNS)}) "
        "FROM STDIN"
    )
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(sql) as copy,
    ):
        for row in rows:
            copy.write_row(row)


def dropped_count_add(count: int) -> None:
    from logs_retention.models import LogCounter

    name = LogCounter.DROPPED_REQUEST_LOGS
    with transaction.atomic():
        _counter_add(name, count)


def _counter_add(name: str, count: int) -> None:
    from logs_retention.models import LogCounter

    updated = LogCounter.objects.filter(name=name).update(
        value=F("value") + count, updated_at=timezone.now()
    )
    if not updated:
        counter, created = LogCounter.objects.get_or_create(name=name, defaults={"value": count})
        if not created:
            LogCounter.objects.filter(name=name).update(value=F("value") + count)


def dropped_count() -> int:
    from logs_retention.models import LogCounter

    row = LogCounter.objects.filter(name=LogCounter.DROPPED_REQUEST_LOGS).first()
    return row.value if row else 0


buffer = RequestLogBuffer()


@atexit.register
def _flush_at_exit() -> None:
    if buffer.pending():
        buffer.flush()


def _skipped(request: HttpRequest) -> bool:
    path = request.path_info
    static_url = settings.STATIC_URL
    if static_url.startswith("/") and path.startswith(static_url):
        return True
    match = getattr(request, "resolver_match", None)
    return path in ("/healthz", "/favicon.ico") or (
        match is not None and match.url_name == "healthz"
    )


def _build_entry(request: HttpRequest, response: HttpResponse, started: float) -> RawEntry:
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    user_id = user.pk if user is not None and user.is_authenticated else None
    if user_id is not None and user.processing_objected:
        # An objection (GDPR Art. 21) stops usage trends about the person: the entry stays, for
        # security, but is not linked to the account.
        user_id = None
    return RawEntry(
        created_at=timezone.now(),
        method=request.method[:8] if request.method else "",
        route=(match.view_name if match is not None else "")[:100],
        status=response.status_code,
        duration_ms=max(0, int((time.perf_counter() - started) * 1000)),
        user_id=user_id,
        address=client_ip_candidate(request)[:100],
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:512],
    )


class RequestLogMiddleware:
    """Logs every request except static files and health checks; never fails a request."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        try:
            if settings.REQUEST_LOG_ENABLED and not _skipped(request):
                buffer.add(_build_entry(request, response, started))
            if response.status_code == 429:
                _record_throttle(request)
        except Exception:  # noqa: BLE001 - the response matters more than its log line
            logger.warning("request log: entry not recorded", exc_info=True)
        return response


def _record_throttle(request: HttpRequest) -> None:
    from logs_retention.models import SecurityEvent
    from logs_retention.services import security_event_record

    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    security_event_record(
        kind=SecurityEvent.Kind.THROTTLED,
        user_id=user.pk if user is not None and user.is_authenticated else None,
        request=request,
        detail=(match.view_name if match is not None else "")[:200],
    )
