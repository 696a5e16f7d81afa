"""No personal data in the application's own logs (notice section 7)."""

import logging
from http import HTTPStatus

import pytest
from django.urls import path

from jobtrax.logscrub import ScrubbingFormatter, scrub_log_text


@pytest.mark.parametrize(
    ("raw", "leak"),
    [
        ("login failed for alice@example.com", "alice@example.com"),
        ("request from 81.2.69.142 refused", "81.2.69.142"),
        ("request from 2001:db8:85a3::8a2e:370:7334", "2001:db8:85a3::8a2e:370:7334"),
        ("GET /accounts/confirm-email/MQ:1vB2xq:abcdefghijklmnopqrstuvwxyz12/", "abcdefghijklmnop"),
    ],
)
def test_it_masks_personal_data_and_link_tokens(raw, leak):
    assert leak not in scrub_log_text(raw)
    assert "[Filtered]" in scrub_log_text(raw)


def test_it_keeps_ordinary_text():
    assert scrub_log_text("retention run finished: 42 rows") == "retention run finished: 42 rows"


def boom(request):
    raise ValueError("cannot mail carol@example.com from 203.0.113.9")


def boom_with_form_text(request, token):
    raise ValueError(f"cannot continue to {request.POST['next']}")


urlpatterns = [path("boom/", boom), path("links/<str:token>/", boom_with_form_text)]


def test_a_crash_logs_a_traceback_without_personal_data(client, settings, caplog):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    formatter = ScrubbingFormatter("%(message)s")

    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/boom/")

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    records = [record for record in caplog.records if record.name == "django.request"]
    assert records
    output = "\n".join(formatter.format(record) for record in records)
    assert "ValueError" in output
    assert "carol@example.com" not in output
    assert "203.0.113.9" not in output


def test_a_crash_logs_neither_the_link_token_nor_what_was_typed(client, settings, caplog):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    token = "eyJyIjo0Mn0:1vB2xq:c2VjcmV0LWxpbmstdG9rZW4"
    formatter = ScrubbingFormatter("%(message)s")

    with caplog.at_level(logging.ERROR, logger="django.request"):
        client.post(f"/links/{token}/", {"next": "Dear hiring manager at Initech"})

    output = "\n".join(
        formatter.format(record) for record in caplog.records if record.name == "django.request"
    )
    assert "ValueError: cannot continue to [Filtered]" in output
    assert token not in output
    assert "Initech" not in output


def test_the_console_handler_uses_the_scrubbing_formatter(settings):
    formatter_name = settings.LOGGING["handlers"]["console"]["formatter"]
    assert settings.LOGGING["formatters"][formatter_name]["()"] == (
        "jobtrax.logscrub.ScrubbingFormatter"
    )


@pytest.mark.parametrize(
    "kept", ["2026-11-29 20:39:27,091 WARNING", "ratio 1.05 at 10:00", "std::vector", "a :: b"]
)
def test_it_keeps_times_and_text_that_only_look_like_addresses(kept):
    assert scrub_log_text(kept) == kept


@pytest.mark.parametrize(
    "address", ["2001:218::", "::1", "fe80::1ff:fe23:4567:890a", "::ffff:81.2.69.142"]
)
def test_it_masks_every_form_of_ipv6(address):
    assert address not in scrub_log_text(f"from {address} refused")


def test_celery_worker_logs_are_scrubbed_too():
    import io

    from celery.signals import after_setup_logger

    stream = io.StringIO()
    logger = logging.getLogger("test.celery.worker")
    logger.addHandler(logging.StreamHandler(stream))
    logger.propagate = False
    try:
        after_setup_logger.send(sender=None, logger=logger, format="%(message)s", loglevel=20)
        logger.error("task failed for dave@example.com from 198.51.100.7")
    finally:
        logger.handlers.clear()

    assert "dave@example.com" not in stream.getvalue()
    assert "198.51.100.7" not in stream.getvalue()
    assert "task failed" in stream.getvalue()
