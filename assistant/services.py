"""The optional writing assistant (notice section 16): sends only what the user asks."""

from django.conf import settings
from django.urls import reverse

from assistant import client

# Fixed instructions: the only text we add to what the user typed.
TASKS = {
    "polish": (
        "Polish the wording",
        "Improve the clarity and grammar of the following job-application text. Keep its "
        "meaning and language. Answer with the improved text only.",
    ),
    "shorten": (
        "Make it shorter",
        "Shorten the following job-application text to about half its length, keeping the "
        "key points. Answer with the shortened text only.",
    ),
    "formal": (
        "Make it more formal",
        "Rewrite the following job-application text in a polite, professional tone. Answer "
        "with the rewritten text only.",
    ),
}


class AssistantRefused(Exception):
    pass


def assistant_enabled() -> bool:
    return bool(settings.AI_API_URL)


def restricted_message() -> str:
    """Only staff lift a restriction (the user is told first, GDPR Art. 18(3)): say how to ask."""
    return (
        "You have restricted the processing of your data, so the AI features are off. Only our "
        "privacy team can lift a restriction: ask for it with the request form at "
        f'{reverse("rights:request_new")} (choose "Lift the restriction of my data") or write '
        f"to {settings.JOBTRAX_PRIVACY_EMAIL}."
    )


def assistant_run(*, user, task: str, text: str) -> str:
    """Send the user's text, and only that, to the AI provider, and return its answer.

    Nothing is stored: not the input, not the output.
    """
    if not assistant_enabled():
        raise AssistantRefused("The writing assistant is not available on this site.")
    if user.processing_restricted:
        raise AssistantRefused(restricted_message())
    if task not in TASKS:
        raise AssistantRefused("Choose one of the offered tasks.")
    text = text.strip()
    if not text:
        raise AssistantRefused("Enter the text you want help with.")
    if len(text) > settings.AI_MAX_INPUT_CHARS:
        raise AssistantRefused(f"Keep the text under {settings.AI_MAX_INPUT_CHARS} characters.")
    return client.complete(instruction=TASKS[task][1], text=text)
