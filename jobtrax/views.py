import logging
import sys
from http import HTTPStatus

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.html import format_html_join
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from jobtrax.cache import memoised
from jobtrax.visitorcache import visitor_page


def _kept_rows() -> list[dict]:
    """What we keep, and for how long: one row per retention policy, in plain words."""
    from jobtrax import datamap

    return [
        {
            "what": policy.covers.split(":")[0],
            "how_long": ("Anonymised" if policy.action == datamap.ANONYMISE else "Deleted")
            + f" after {policy.window_display}",
        }
        for policy in datamap.policies()
    ]


# The retention policies and their windows come from the settings: the rows and their HTML
# are made once per process (jobtrax.cache forgets them when a setting changes).
KEPT_SECONDS = 3600.0


def _kept() -> tuple[list[dict], str]:
    rows = _kept_rows()
    html = format_html_join(
        "", "<tr><td>{}</td><td>{}</td></tr>", ((row["what"], row["how_long"]) for row in rows)
    )
    return rows, html


logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 60


@require_GET
@visitor_page
def home(request: HttpRequest) -> HttpResponse:
    rows, html = memoised("home:kept", _kept, seconds=KEPT_SECONDS)
    return render(request, "home.html", {"kept": rows, "kept_html": html})


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    # Browsers ask for /favicon.ico whatever the page's <link rel=icon> says.
    return redirect(static("favicon.ico"), permanent=True)


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_cache() -> None:
    cache.set("healthz", "ok", 10)
    if cache.get("healthz") != "ok":
        raise ConnectionError("the cache did not keep a value")


# One Redis client per broker address and process: a health probe that opened a new broker
# connection each time (kombu's Connection) cost a TCP handshake and a client handshake per
# call, and its slowest calls set the endpoint's p99.
_broker_clients: dict[str, object] = {}


def _redis_broker(url: str):
    client = _broker_clients.get(url)
    if client is None:
        import redis

        client = _broker_clients[url] = redis.Redis.from_url(
            url, socket_connect_timeout=2, socket_timeout=2
        )
    return client


def _check_broker() -> None:
    url = settings.CELERY_BROKER_URL
    if url.startswith(("redis://", "rediss://")):
        _redis_broker(url).ping()
        return
    from kombu import Connection

    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    with Connection(settings.CELERY_BROKER_URL, transport_options=options, connect_timeout=2) as c:
        c.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)


HEALTH_CHECKS = {"database": _check_database, "cache": _check_cache, "broker": _check_broker}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Each dependency the app needs, and 503 when one of them does not answer."""
    checks = {}
    for name, check in HEALTH_CHECKS.items():
        try:
            check()
        except Exception as error:  # noqa: BLE001 - any failure means "unavailable"
            logger.warning("health check failed: %s (%s)", name, type(error).__name__)
            checks[name] = "unavailable"
        else:
            checks[name] = "ok"
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=HTTPStatus.OK if healthy else HTTPStatus.SERVICE_UNAVAILABLE,
    )


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    too_large = isinstance(exception, RequestDataTooBig)
    return render(request, "errors/400.html", {"too_large": too_large}, status=400)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def _outage_errors() -> tuple[type[BaseException], ...]:
    from django.db import InterfaceError, OperationalError
    from kombu.exceptions import OperationalError as BrokerError
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    return (
        OperationalError,
        InterfaceError,
        RedisConnectionError,
        RedisTimeoutError,
        BrokerError,
        ConnectionError,
        TimeoutError,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page; a 503 "try again in a minute" when a database, cache or broker is down.

    Rate limits count in the cache, so an action they guard is refused here while it is down.
    Neither page touches the database or the cache.
    """
    from django.template import loader

    if isinstance(sys.exc_info()[1], _outage_errors()):
        response = HttpResponse(
            loader.get_template("errors/503.html").render(),
            status=HTTPStatus.SERVICE_UNAVAILABLE,
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/csrf.html", status=403)
