"""Wherever an AI answer is shown, the notice's disclaimer (section 16) is shown with it."""

import re
from http import HTTPStatus
from pathlib import Path

from django.conf import settings
from django.template import engines

from tests.test_assistant import TEXT, URL, provider  # noqa: F401 - the loopback provider

DISCLAIMER = "It may be inaccurate, misleading or biased"
ADVICE = "It is not professional legal, medical or financial advice."
INCLUDE = "assistant/_answer.html"
# How a template would show an AI answer: the `answer` variable, or the marker the answer carries.
SHOWS_AN_ANSWER = re.compile(r"\{\{\s*answer\b|data-testid=\"answer\"")


def test_it_shows_the_disclaimer_beside_the_answer(client_logged_in, provider):  # noqa: F811
    response = client_logged_in.post(URL, {"task": "polish", "text": TEXT})

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    section = html[html.index('data-testid="answer"') :].split("</section>", 1)[0]
    assert "I am writing to apply." in section
    assert DISCLAIMER in section
    assert ADVICE in section


def test_it_shows_no_disclaimer_before_there_is_an_answer(client_logged_in, provider):  # noqa: F811
    html = client_logged_in.get(URL).content.decode()

    assert 'data-testid="answer"' not in html
    assert 'data-testid="ai-disclaimer"' not in html


def _templates() -> list[Path]:
    folders = [Path(folder) for engine in settings.TEMPLATES for folder in engine["DIRS"]]
    folders += [Path(config.path) / "templates" for config in _app_configs()]
    return [path for folder in folders if folder.is_dir() for path in folder.rglob("*.html")]


def _app_configs():
    from django.apps import apps

    return [c for c in apps.get_app_configs() if Path(c.path).is_relative_to(settings.BASE_DIR)]


def test_every_template_that_shows_an_ai_answer_shows_it_with_the_disclaimer():
    showing = [path for path in _templates() if SHOWS_AN_ANSWER.search(path.read_text())]
    assert showing, "the writing assistant's answer template exists"
    for path in showing:
        if path.as_posix().endswith(INCLUDE):
            continue
        raise AssertionError(f"{path} shows an AI answer itself: include {INCLUDE} instead")


def test_the_answer_template_carries_the_disclaimer():
    html = engines["django"].get_template(INCLUDE).render({"answer": "Some text."})

    assert DISCLAIMER in html
    assert ADVICE in html
