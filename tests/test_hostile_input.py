"""Hostile input costs time in proportion to its size, never more.

Every parser that sees what a user sends (a description, a pasted page, a fetched page, a CSV
cell, a free-text message that is scrubbed) is fed pathological input at two sizes, and the
time may grow at most about linearly: four times the input may take at most eight times as
long (plus a small floor, so that timer noise on tiny figures cannot fail a test). A
backtracking regular expression fails this by far: it takes sixteen times as long.
"""

import time

import pytest
from celery.exceptions import SoftTimeLimitExceeded

from accounts.admin_site import _scrub as admin_scrub
from importer import services as importer_services
from importer.extract import extract_postings, jsonld, markup, values
from importer.models import ImportPreview
from importer.services import ImportRefused, preview_from_page, preview_read_link
from jobs.sanitize import description_text, looks_like_html, sanitize_description
from jobtrax.sentry import scrub_text
from rights.services.common import _EMAIL_RE

SMALL = 20_000  # characters
LARGE = 4 * SMALL
FLOOR_SECONDS = 0.05

# (name, a unit repeated to the size, and what closes the input)
PATHOLOGICAL = {
    "unclosed comments": ("<!--", ""),
    "unclosed tags": ("<a ", ""),
    "unclosed end tags": ("</b ", ""),
    "script without >": ("<script ", ""),
    "json-ld script without >": ('<script type="application/ld+json" ', ""),
    "repeated openers": ("<", ""),
    "deep nesting": ("<div>", ""),
    "comment openers, one close": ("<!--", "-->"),
    "script openers, one >": ("<script ", ">"),
    "entities": ("&#x", ";"),
    "digits with no end": ("1", "a"),
    "address characters, no @": ("a.", ""),
    "at signs": ("a@", ""),
    "brackets": ("[", ""),
    "blank lines": ("\n \n", ""),
}


def _input(case: str, size: int) -> str:
    unit, close = PATHOLOGICAL[case]
    return unit * (size // len(unit)) + close


def _seconds(parse, text: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        parse(text)
        best = min(best, time.perf_counter() - start)
    return best


def assert_linear(parse, case: str, attempts: int = 3) -> None:
    # A busy machine can stall a process for longer than the floor; a parser that really grows
    # faster than linearly fails every attempt.
    for _ in range(attempts):
        small = _seconds(parse, _input(case, SMALL))
        large = _seconds(parse, _input(case, LARGE))
        if large <= 8 * small + FLOOR_SECONDS:
            break
    assert large <= 8 * small + FLOOR_SECONDS, (
        f"{case}: {SMALL:,} characters took {small:.4f} s, {LARGE:,} took {large:.4f} s"
    )


PARSERS = {
    "description sanitiser": sanitize_description,
    "html or text": looks_like_html,
    "description as text": lambda text: description_text(sanitize_description(text)),
    "json-ld script blocks": jsonld.script_blocks,
    "whole page extraction": lambda text: extract_postings(text, content_type="text/html"),
    "pasted text extraction": lambda text: extract_postings(text, content_type="text/plain"),
    "salary text": values.salary_from_text,
    "page title": lambda text: markup.tidy_title(text, "LinkedIn"),
    "admin message scrub": admin_scrub,
    "audit note scrub": lambda text: _EMAIL_RE.sub("[address removed]", text),
    "error report scrub": scrub_text,
    "pasted page or text": importer_services.LOOKS_LIKE_HTML.search,
}


@pytest.mark.parametrize("case", sorted(PATHOLOGICAL))
@pytest.mark.parametrize("parser", sorted(PARSERS))
def test_each_parser_takes_time_in_proportion_to_hostile_input(parser, case):
    assert_linear(PARSERS[parser], case)


def test_a_description_of_a_hundred_kilobytes_of_comment_openers_is_cleaned_at_once():
    start = time.perf_counter()
    cleaned = sanitize_description("<!--" * 25_000)

    assert time.perf_counter() - start < 2
    assert "<!--" not in cleaned and "<script" not in cleaned


def test_a_pasted_page_of_script_tags_without_an_end_is_read_at_once():
    start = time.perf_counter()
    found = jsonld.script_blocks('<script type="application/ld+json" ' * 7_000)

    assert time.perf_counter() - start < 2
    assert found == []


def test_the_html_check_answers_as_it_did_for_ordinary_text_and_markup():
    assert looks_like_html("<p>Hello</p>")
    assert looks_like_html("Before <!-- a note --> after")
    assert looks_like_html("</b>")
    assert looks_like_html('<a href="https://example.com">x</a>')
    assert not looks_like_html("Salary < 50k and > 40k")
    assert not looks_like_html("a <b and c")
    assert not looks_like_html("<!-- never closed")
    assert not looks_like_html("<1> and <-->")
    assert not looks_like_html("Plain text\n\nTwo paragraphs")


def test_json_ld_blocks_are_found_however_the_script_tag_is_written():
    page = (
        "<script>var a = '<b>';</script>"
        '<SCRIPT TYPE="application/LD+JSON">{"a": 1}</SCRIPT >'
        "<scripts type=application/ld+json>no</scripts>"
        "<script type='application/ld+json'>[2]</script>"
        '<script type=application/ld+json>{"b": 3}'
    )

    assert jsonld.script_blocks(page) == ['{"a": 1}', "[2]", '{"b": 3}']


# Limits -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_pasted_page_over_the_limit_gets_a_clear_message(client, user):
    client.force_login(user)

    response = client.post(
        "/jobs/import/", {"kind": "paste", "content": "x" * 240_001, "url": ""}, follow=False
    )

    assert response.status_code == 400
    assert "A pasted page can be at most 240,000 characters" in response.content.decode()
    assert not ImportPreview.objects.exists()


@pytest.mark.django_db
def test_paste_imports_are_limited_per_user_and_hour(user, other_user, settings):
    settings.IMPORTER_PASTE_IMPORTS_PER_HOUR = 3
    text = "Data engineer at Acme\n\nWe build pipelines."
    for _ in range(3):
        preview_from_page(user=user, content=text)

    with pytest.raises(ImportRefused) as refused:
        preview_from_page(user=user, content=text)

    assert refused.value.code == "paste_rate_limited"
    assert "pasted many pages" in refused.value.message
    assert ImportPreview.objects.filter(owner=user).count() == 3
    assert preview_from_page(user=other_user, content=text)


@pytest.mark.django_db
def test_a_link_import_out_of_time_ends_as_took_too_long(user, monkeypatch):
    preview = ImportPreview.objects.create(
        owner=user, method=ImportPreview.Method.LINK, link="https://jobs.example/1"
    )

    def slow_extraction(content, **kwargs):
        raise SoftTimeLimitExceeded()

    # The time limit strikes inside the extractor, which must not swallow it.
    monkeypatch.setattr(importer_services, "fetch", lambda url: _Fetched())
    monkeypatch.setattr("importer.extract._extract", lambda page, url: slow_extraction(page))

    preview_read_link(preview_id=str(preview.pk))

    preview.refresh_from_db()
    assert preview.status == ImportPreview.Status.FAILED
    assert preview.error == "too_slow"
    assert preview.link == ""
    assert "took too long" in importer_services.message_for(preview.error)


class _Fetched:
    content = b"<html><body><p>Slow</p></body></html>"
    content_type = "text/html"
    charset = "utf-8"
    url = "https://jobs.example/1"
