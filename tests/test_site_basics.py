"""Small things every visitor meets: the site icon and the home page's retention summary."""

from http import HTTPStatus

from django.contrib.staticfiles import finders
from django.templatetags.static import static

from jobtrax.datamap import policies


def test_it_answers_favicon_ico_with_the_sites_icon(client, db):
    response = client.get("/favicon.ico")

    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"] == static("favicon.ico")
    with open(finders.find("favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an ICO file


def test_every_page_names_its_icon(client, db):
    body = client.get("/").content.decode()

    assert f'<link rel="icon" href="{static("favicon.ico")}"' in body


def test_the_home_page_lists_what_we_keep_from_the_retention_policies(client, db, settings):
    settings.RETENTION_SECURITY_EVENT_DAYS = 400

    response = client.get("/")

    rows = response.context["kept"]
    assert len(rows) == len(policies())
    assert {"what": "Security event log", "how_long": "Deleted after 400 days"} in rows
    assert {"what": "Request logs", "how_long": "Anonymised after 90 days"} in rows
    body = response.content.decode()
    assert 'data-testid="kept"' in body
    assert "<td>Security event log</td><td>Deleted after 400 days</td>" in body


def test_the_home_page_shows_what_jobtrax_does_before_what_it_keeps(client, db):
    body = client.get("/").content.decode()

    paste = body.index("Paste a link")
    board = body.index('data-testid="sample-board"')
    kept = body.index('data-testid="kept"')
    assert paste < board < kept
    sample = body[board:kept]
    assert sample.count('class="job-card"') == 3  # drawn in HTML, not a picture
    assert "<img" not in sample
