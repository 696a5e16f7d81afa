"""Job postings from a web page or pasted text.

The order follows how much a page's own markup can be trusted: schema.org JobPosting in JSON-LD,
then in microdata and RDFa, then OpenGraph tags, and last the page's title and main text, which
the preview marks "please check".
"""

from __future__ import annotations

import logging

from celery.exceptions import SoftTimeLimitExceeded

from importer.extract import jsonld, markup, values
from importer.extract.page import decode
from importer.posting import Posting

logger = logging.getLogger(__name__)

__all__ = ["extract_postings", "posting_from_text"]

# Fields a user must check on a posting guessed from plain text.
TEXT_GUESSED = (
    "title",
    "company",
    "location",
    "workplace",
    "employment_type",
    "url",
    "description",
)
# Structured data that only describes the site around a page; a page that has nothing else may
# still be a posting without markup.
SITE_TYPES = {
    "WebSite",
    "WebPage",
    "CollectionPage",
    "ItemPage",
    "AboutPage",
    "ContactPage",
    "SearchResultsPage",
    "Organization",
    "Corporation",
    "LocalBusiness",
    "EmploymentAgency",
    "Brand",
    "ImageObject",
    "BreadcrumbList",
    "ListItem",
    "ItemList",
    "SiteNavigationElement",
    "WPHeader",
    "WPFooter",
    "WPSideBar",
    "SearchAction",
    "EntryPoint",
    "ReadAction",
    "PropertyValueSpecification",
    "Place",
    "PostalAddress",
    "GeoCoordinates",
    "ContactPoint",
    "Country",
    "PropertyValue",
    "Person",
    "FAQPage",
    "Question",
    "Answer",
}


def extract_postings(
    content: bytes | str, *, url: str = "", content_type: str = ""
) -> list[Posting]:
    """Every posting on a page (or pasted page source), best source first; [] when none.
    Malformed input never raises: what cannot be read is skipped."""
    try:
        page = decode(content, content_type=content_type)
        return _extract(page, url=url)
    except SoftTimeLimitExceeded:
        raise  # the task's time is up: it ends as "took too long", not as "no posting found"
    except Exception as error:  # a broken page must end as "no posting found", never an error
        # The error's kind only: its message or traceback could quote the page.
        logger.warning("extraction failed on a page: %s", type(error).__name__)
        return []


def _extract(page: str, *, url: str) -> list[Posting]:
    if not page or page.isspace():
        return []
    if page.lstrip()[:1] in ("{", "["):
        # A JSON-LD document on its own (a JSON answer, or a pasted block), not a page.
        data = jsonld.loads(page)
        if data is not None:
            return jsonld.postings_from_data([data], base_url=url)[0]
    postings, types = jsonld.postings_from_data(jsonld.blocks_data(page), base_url=url)
    if postings:
        return postings
    if markup.mentions_job_posting(page):
        for source, read in (("microdata", markup.microdata_items), ("rdfa", markup.rdfa_items)):
            found, more_types = jsonld.postings_from_data(
                read(page, base_url=url), base_url=url, source=source
            )
            if found:
                return found
            types |= more_types
    if types - SITE_TYPES:
        # The page describes itself as something else (an article, a product...).
        return []
    return _guessed(page, url=url)


def _guessed(page: str, *, url: str) -> list[Posting]:
    guess = markup.page_guess(page, base_url=url)
    if not guess.get("title"):
        return []
    page_url = guess["url"] or values.web_url(url)
    checked = tuple(name for name in TEXT_GUESSED if name != "url" or not page_url)
    return [
        Posting(
            title=guess["title"],
            company=guess["company"],
            location=guess["location"],
            url=page_url,
            description=values.description(guess["description"], unescape=False),
            source=guess["source"],
            needs_check=checked,
        )
    ]


def posting_from_text(text: str) -> Posting:
    """Plain pasted text: what it states (see importer.extract.text); the rest is left empty
    and named in `needs_check`."""
    from importer.extract.text import posting_from_text as read

    return read(text)
