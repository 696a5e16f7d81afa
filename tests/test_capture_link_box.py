"""Capture in plain sight: the link box on the board and the list, in their empty states, and the
header's "Add a job" menu."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.jobs_fixtures import add_job

BOARD = "/jobs/"
LIST = "/jobs/list/"


def link_boxes(html: str) -> int:
    return html.count('data-testid="link-box"')


@pytest.mark.parametrize("path", [BOARD, LIST])
def test_it_shows_the_link_box_in_the_empty_state(client_logged_in, path):
    response = client_logged_in.get(path)
    html = response.content.decode()

    assert response.status_code == HTTPStatus.OK
    assert link_boxes(html) == 1
    assert f'action="{reverse("importer:start")}"' in html
    assert 'name="kind" value="link"' in html


@pytest.mark.parametrize("path", [BOARD, LIST])
def test_it_shows_the_link_box_at_the_top_once_jobs_are_tracked(client_logged_in, user, path):
    add_job(user)

    html = client_logged_in.get(path).content.decode()

    assert link_boxes(html) == 1
    # Above the jobs themselves.
    assert html.index('data-testid="link-box"') < html.index("Backend engineer")


def test_it_puts_the_link_box_before_the_board_columns(client_logged_in, user):
    add_job(user)

    html = client_logged_in.get(BOARD).content.decode()

    assert html.index('data-testid="link-box"') < html.index('data-testid="board"')
    assert html.index('data-testid="link-box"') < html.index('aria-label="Tracker"')


def test_the_header_offers_every_way_to_add_a_job(client_logged_in):
    html = client_logged_in.get(BOARD).content.decode()
    start = html.index('data-testid="add-job-menu"')
    menu = html[start : html.index("</details>", start)]

    assert "<summary" in menu and "Add a job" in menu
    assert reverse("importer:start") + "#by-link" in menu
    assert reverse("importer:start") + "#by-page" in menu
    assert reverse("importer:bookmarklet") in menu
    assert reverse("jobs:new") in menu
    for words in ("Paste a link", "Paste the page", "bookmarklet", "Type it in"):
        assert words in menu


def test_a_visitor_sees_no_add_a_job_menu(client, db):
    html = client.get("/").content.decode()

    assert 'data-testid="add-job-menu"' not in html
