"""The preview speaks to people: what needs checking is named as the form names it."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from importer.models import ImportPreview
from importer.posting import Posting

INTERNAL = ("salary_min", "salary_max", "date_posted", "employment_type", "valid_through")


def visible_text(html: str) -> str:
    """The page's words, without tags and attribute values."""
    return re.sub(r"<[^>]*>", " ", html)


def make_preview(user, **posting) -> ImportPreview:
    data = Posting(**posting).as_json()
    return ImportPreview.objects.create(
        owner=user, method="paste", status=ImportPreview.Status.READY, postings=[data]
    )


def test_the_banner_names_fields_with_human_labels(client_logged_in, user):
    preview = make_preview(
        user,
        title="Engineer",
        source="jsonld",
        needs_check=("salary_min", "date_posted", "employment_type", "location"),
    )

    response = client_logged_in.get(reverse("importer:preview", args=[preview.pk]))
    html = response.content.decode()
    start = html.index('data-testid="import-needs-check"')
    banner = visible_text(html[start : html.index("</div>", start)])

    assert response.status_code == HTTPStatus.OK
    for label in ("Salary", "Date posted", "Employment type", "Location"):
        assert label in banner
    for name in INTERNAL:
        assert name not in visible_text(html)


def test_a_field_the_text_did_not_state_says_please_check_next_to_it(client_logged_in, user):
    preview = make_preview(
        user, title="Engineer", company="Acme", source="text", needs_check=("location",)
    )

    response = client_logged_in.get(reverse("importer:preview", args=[preview.pk]))
    form = response.context["form"]

    assert "Please check" in form.fields["location"].help_text
    assert "Please check" not in (form.fields["title"].help_text or "")
    assert "could not read" in visible_text(response.content.decode())


@pytest.mark.parametrize("name", INTERNAL)
def test_every_internal_name_has_a_label(name):
    from importer.services import check_labels

    assert check_labels((name,)) != [name]
