"""Console logs carry no personal data: emails, IP addresses, link tokens and, in a request's
log lines, what its sender typed are masked."""

import logging

from jobtrax.sentry import mask_values, scrub_text, submitted_values


def scrub_log_text(value: str) -> str:
    return scrub_text(value)


class ScrubbingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        request = getattr(record, "request", None)  # Django's request loggers attach it
        if request is not None:
            text = mask_values(text, submitted_values(request))
        return scrub_log_text(text)
