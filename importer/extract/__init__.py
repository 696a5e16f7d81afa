"""Job postings from a web page or pasted text.

The order follows how much a page's own markup can be trusted: schema.org JobPosting in JSON-LD,
then in microdata and RDFa, then OpenGraph tags, and last the page's title and main text, which
the preview marks "please check".
"""

from __future__ import annotations

import html
import logging

from importer.extract import jsonld, values
from importer.extract.page import decode
from importer.posting import Posting

logger = logging.getLogger(__name__)

__all__ = ["extract_postings", "posting_from_text"]

# Fields a user must check on a posting guessed from plain text.
TEXT_GUESSED = ("title", "company", "location", "workplace", "employment_type", "url")


def extract_postings(
    content: bytes | str, *, url: str = "", content_type: str = ""
) -> list[Posting]:
    """Every posting on a page (or pasted page source), best source first; [] when none.
    Malformed input never raises: what cannot be read is skipped."""
    try:
        page = decode(content, content_type=content_type)
        return _extract(page, url=url)
    except Exception:  # a broken page must end as "no posting found", never as an error
        logger.warning("extraction failed on a page", exc_info=True)
        return []


def _extract(page: str, *, url: str) -> list[Posting]:
    if not page.strip():
        return []
    postings, _types = jsonld.postings_from_data(jsonld.blocks_data(page), base_url=url)
    if postings:
        return postings
    return []


def posting_from_text(text: str) -> Posting:
    """Plain pasted text: kept as the description; everything else is for the user to fill."""
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n")]
    body = "".join(
        "<p>" + html.escape(p, quote=False).replace("\n", "<br>") + "</p>" for p in paragraphs if p
    )
    return Posting(
        description=values.description(body, unescape=False),
        source="text",
        needs_check=TEXT_GUESSED,
    )
