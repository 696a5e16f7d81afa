"""Console logs carry no personal data: emails, IP addresses and link tokens are masked."""

import logging
import re

from jobtrax.sentry import FILTERED, scrub_text

# Verification, reset, unsubscribe and download links carry long random tokens in the path.
TOKEN_RE = re.compile(r"(?<=/)[A-Za-z0-9_\-:.]{20,}(?=/|\b)")


def scrub_log_text(value: str) -> str:
    return TOKEN_RE.sub(FILTERED, scrub_text(value))


class ScrubbingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return scrub_log_text(super().format(record))
