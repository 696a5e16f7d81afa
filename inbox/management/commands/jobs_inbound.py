"""`manage.py jobs_inbound`: deliver one email, read on stdin, from a mail server's pipe.

Exit codes are those Postfix and Exim understand (sysexits.h): 0 delivered, also for a message
dropped on purpose (an unverified sender, failed SPF/DKIM/DMARC, over a limit, unreadable:
refusing would make the server bounce it to a possibly forged sender); 67 no such forwarding
address (or the feature is off); 75 try again later (the database is unreachable). An
unexpected error drops the message (0) with the reason `internal`. One log line
gives the reason code, never anything of the message.
"""

import logging
import sys

from django.core.management.base import BaseCommand
from django.db import DatabaseError

from inbox import services

logger = logging.getLogger("inbox.services")


class Command(BaseCommand):
    help = "Deliver one RFC 5322 email read on stdin to its forwarding address."
    # Nothing but the reason line on the mail server's log.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--recipient",
            action="append",
            default=[],
            help="the envelope recipient (Postfix: ${recipient}); read before the headers",
        )

    def handle(self, *args, **options) -> None:
        from django.conf import settings

        limit = settings.INBOUND_EMAIL_MAX_BYTES
        stream = getattr(sys.stdin, "buffer", sys.stdin)
        try:
            raw = stream.read(limit + 1)
        except Exception:
            raw = b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        code = self._deliver(raw, options["recipient"])
        if len(raw) > limit:
            self._drain(stream)
        sys.exit(code)

    @staticmethod
    def _drain(stream) -> None:
        """Read the rest of an oversized message and throw it away, so the server sees it
        taken."""
        try:
            while stream.read(65536):
                pass
        except Exception:  # noqa: S110 - nothing to do with the rest of a dropped message
            pass

    @staticmethod
    def _deliver(raw: bytes, recipients: list[str]) -> int:
        try:
            return services.inbound_receive(raw=raw, recipients=recipients).outcome.exit_code
        except DatabaseError:
            logger.warning("inbound email: %s", services.Outcome.TRY_LATER.reason)
            return services.EX_TEMPFAIL
        except Exception as exc:
            # Never a traceback to the mail server, and nothing of the message in the log: the
            # message is dropped (retrying the same bytes would fail the same way).
            logger.error("inbound email: internal (%s)", type(exc).__name__)
            return services.EX_OK
