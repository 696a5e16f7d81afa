"""The inbound webhook for hosted mail services, through django-anymail (Postmark's inbound
format, authenticated with the basic-auth credentials anymail checks). The message is read in
the request and forgotten, like the pipe command's."""

from __future__ import annotations

import logging

from anymail.signals import inbound
from anymail.webhooks.postmark import PostmarkInboundWebhookView
from django.conf import settings
from django.db import DatabaseError
from django.http import Http404, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from inbox import services

logger = logging.getLogger(__name__)


class InboundWebhookView(PostmarkInboundWebhookView):
    """Postmark's inbound webhook, refusing oversized bodies before anymail parses them."""

    def post(self, request, *args, **kwargs):
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        # JSON with base64 attachments is larger than the message: allow for it.
        if length > settings.INBOUND_EMAIL_MAX_BYTES * 2:
            services.inbound_count(reason=services.Outcome.TOO_LARGE.reason)
            logger.info("inbound email: %s", services.Outcome.TOO_LARGE.reason)
            return HttpResponse(status=200)  # dropped; a refusal would only be retried
        return super().post(request, *args, **kwargs)


@csrf_exempt
def webhook(request):
    """Without a secret anymail would accept anyone: then the webhook is simply not there."""
    if not (getattr(settings, "ANYMAIL", {}) or {}).get("WEBHOOK_SECRET"):
        raise Http404("The inbound webhook is not configured.")
    return InboundWebhookView.as_view()(request)


def receive(sender, event, esp_name, **kwargs) -> None:
    message = event.message
    recipients = [message.envelope_recipient] if message.envelope_recipient else []
    try:
        services.inbound_receive(
            message=message, recipients=recipients, spam_detected=bool(message.spam_detected)
        )
    except DatabaseError:
        logger.warning("inbound email: %s", services.Outcome.TRY_LATER.reason)
        raise  # a 500: the service retries later
    except Exception as exc:
        # Dropped with its reason; no traceback, which could quote the email, in any log.
        logger.error("inbound email: internal (%s)", type(exc).__name__)


inbound.connect(receive, sender=InboundWebhookView, dispatch_uid="inbox.webhook")
