"""Descriptions read as formatted text (paragraphs and lists), never as raw HTML tags: on the
import preview, the job page and its edit form, and the CSV export."""

import csv
import io
from http import HTTPStatus

from django.urls import reverse

from importer.models import ImportPreview
from importer.posting import Posting
from jobs.descriptions import description_from_text, description_plain
from jobs.models import Job
from tests.jobs_fixtures import add_job

HTML = (
    '<p>We build <strong>rotas</strong>, see <a href="https://example.com/">our site</a>.</p>'
    "<ul><li>Design APIs</li><li>Mentor engineers</li></ul><h3>Benefits</h3><p>Holidays</p>"
)


def textarea(html: str, name: str = "description") -> str:
    start = html.index(f'name="{name}"')
    return html[html.index(">", start) + 1 : html.index("</textarea>", start)]


def test_a_description_reads_as_plain_paragraphs_and_bullets():
    assert description_plain(HTML) == (
        "We build rotas, see our site.\n\n• Design APIs\n• Mentor engineers\n\nBenefits\n\nHolidays"
    )


def test_plain_text_with_bullets_becomes_paragraphs_and_a_list():
    html = description_from_text("Intro line\nsecond line\n\n• One\n- Two\n\nEnd")

    assert html == "<p>Intro line<br>second line</p><ul><li>One</li><li>Two</li></ul><p>End</p>"


def test_deep_nesting_does_not_break_the_plain_text():
    assert description_plain("<div>" * 100 + "deep" + "</div>" * 100) == "deep"
    assert isinstance(description_plain("<ul><li>" * 5000 + "x"), str)


def test_the_preview_shows_the_description_formatted_and_no_tags_as_text(client_logged_in, user):
    posting = Posting(title="Engineer", description=HTML, source="jsonld")
    preview = ImportPreview.objects.create(
        owner=user, method="link", status=ImportPreview.Status.READY, postings=[posting.as_json()]
    )

    html = client_logged_in.get(reverse("importer:preview", args=[preview.pk])).content.decode()

    assert 'data-testid="import-description"' in html
    assert "<li>Mentor engineers</li>" in html
    box = textarea(html)
    assert "&lt;" not in box and "<" not in box
    assert "• Mentor engineers" in box


def test_the_edit_form_shows_text_and_keeps_the_formatting_when_it_is_not_changed(
    client_logged_in, user
):
    job = add_job(user, description=HTML)
    url = reverse("jobs:edit", args=[job.pk])
    page = client_logged_in.get(url)
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["company"] = "Initech"
    data["description"] = data["description"].replace("\n", "\r\n")  # as browsers send it

    response = client_logged_in.post(url, data)

    job.refresh_from_db()
    assert "<" not in textarea(page.content.decode())
    assert response.status_code == HTTPStatus.FOUND
    assert '<a href="https://example.com/"' in job.description
    assert "<strong>rotas</strong>" in job.description


def test_a_typed_list_is_saved_as_a_list_and_shown_as_one(client_logged_in, user):
    response = client_logged_in.post(
        reverse("jobs:new"),
        {"title": "Cook", "workplace": "unknown", "description": "Tasks:\n\n- Eggs\n- Toast"},
    )
    job = Job.objects.get(user=user)
    page = client_logged_in.get(reverse("jobs:detail", args=[job.pk])).content.decode()

    assert response.status_code == HTTPStatus.FOUND
    assert job.description == "<p>Tasks:</p><ul><li>Eggs</li><li>Toast</li></ul>"
    assert "<ul><li>Eggs</li>" in page
    assert "&lt;" not in page[page.index('data-testid="description"') :]


def test_the_csv_export_has_the_description_as_text_and_keeps_the_formatting(
    client_logged_in, user
):
    add_job(user, description=HTML)

    response = client_logged_in.get(reverse("jobs:export_csv"))
    [row] = list(
        csv.DictReader(
            io.StringIO(
                b"".join(response.streaming_content).decode()
                if response.streaming
                else response.content.decode()
            )
        )
    )

    assert row["description"].startswith("We build rotas, see our site.")
    assert "<" not in row["description"]
    assert row["description_html"] == Job.objects.get().description
