"""The edge to an AI provider: an OpenAI-compatible chat-completions endpoint over HTTPS.

The request carries the instruction and the user's text, and nothing else: no account id,
email, IP address, location or browser details, and `store: false` so the provider keeps no
copy for its own use where it honours that flag. No field of the request turns model training
off: that rests on the provider's terms and account settings, and the processors page says so
(the "training" text of the "ai" entry of PRIVACY_PROCESSORS).
"""

import json
import urllib.error
import urllib.request

from django.conf import settings


class AssistantUnavailable(Exception):
    """The provider could not be reached or answered with something unusable."""


def build_payload(*, instruction: str, text: str) -> dict:
    return {
        "model": settings.AI_MODEL,
        "messages": [
            {"role": "system", "content": instruction},
            {"role": "user", "content": text},
        ],
        "store": False,
    }


def complete(*, instruction: str, text: str) -> str:
    body = json.dumps(build_payload(instruction=instruction, text=text)).encode()
    request = urllib.request.Request(  # noqa: S310 (the URL is an operator's setting)
        settings.AI_API_URL,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {settings.AI_API_KEY}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.AI_TIMEOUT) as response:  # noqa: S310
            answer = json.loads(response.read(1_000_000))
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        raise AssistantUnavailable(type(exc).__name__) from None
    try:
        content = answer["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise AssistantUnavailable("unexpected answer") from None
    if not isinstance(content, str):
        raise AssistantUnavailable("unexpected answer")
    return content.strip()
