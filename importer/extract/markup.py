"""JobPosting in microdata and RDFa (read by extruct), and the page's own OpenGraph tags,
title and main text for pages that describe their posting in no structured way."""

from __future__ import annotations

import copy
import html
import re
from typing import Any

import html_text
import lxml.etree
import lxml.html
from extruct.rdfa import RDFaExtractor
from extruct.utils import parse_xmldom_html
from extruct.w3cmicrodata import MicrodataExtractor

from importer.extract import values

_MICRODATA = re.compile(r"\bitemscope\b", re.IGNORECASE)
_RDFA = re.compile(r"\btypeof\s*=", re.IGNORECASE)
_JOB_POSTING = re.compile(r"JobPosting", re.IGNORECASE)
# Main text kept from a page without structured data, before the description cap.
MAX_PAGE_TEXT = 50_000


def local_name(iri: str) -> str:
    """'https://schema.org/JobPosting' -> 'JobPosting'; keys and types of RDF output."""
    return re.split(r"[/#:]", iri)[-1] if isinstance(iri, str) else iri


def mentions_job_posting(page: str) -> bool:
    """Any microdata or RDFa JobPosting names its type in the markup; pages that do not are
    spared the parse."""
    return bool(_JOB_POSTING.search(page))


class _Microdata(MicrodataExtractor):
    """extruct's microdata reader, with a lighter text reading: a property's text with
    scripts and styles left out and whitespace collapsed, and a description's inner HTML
    (sanitised later, like every description)."""

    def _extract_textContent(self, node) -> str:  # noqa: N802 - extruct's name
        if "description" in (node.get("itemprop") or "").split():
            inner = html.escape(node.text or "", quote=False) + "".join(
                lxml.html.tostring(child, encoding="unicode") for child in node
            )
            return inner.strip()
        return " ".join("".join(_VISIBLE_TEXT(node)).split())


_VISIBLE_TEXT = lxml.etree.XPath(
    ".//text()[not(ancestor::script) and not(ancestor::style) and not(ancestor::template)]"
)


def microdata_items(page: str, *, base_url: str = "") -> list[dict]:
    if not _MICRODATA.search(page):
        return []
    tree = _tree(page)
    if tree is None:
        return []
    items = _Microdata().extract_items(tree, base_url or None)
    return [_microdata_node(item) for item in items]


def _microdata_node(item: Any) -> Any:
    if isinstance(item, list):
        return [_microdata_node(value) for value in item]
    if not isinstance(item, dict) or "properties" not in item:
        return item
    types = item.get("type")
    types = [types] if isinstance(types, str) else list(types or [])
    node = {"@type": [local_name(t) for t in types]}
    if item.get("id"):
        node["@id"] = item["id"]
    for key, value in item["properties"].items():
        node[key] = _microdata_node(value)
    return node


def rdfa_items(page: str, *, base_url: str = "") -> list[dict]:
    """RDFa read by extruct, from the JobPosting elements only: RDFa processing is slow, and a
    page's other RDFa (menus, comments, site furniture) says nothing about the posting."""
    if not _RDFA.search(page):
        return []
    tree = _tree(page)
    if tree is None:
        return []
    items: list[dict] = []
    for element in _RDFA_POSTINGS(tree)[:MAX_RDFA_POSTINGS]:
        fragment = _with_context(element)
        if len(fragment) > MAX_RDFA_BYTES:
            continue
        document = parse_xmldom_html(fragment, encoding="UTF-8")
        found = RDFaExtractor().extract_items(document, base_url=base_url or None)
        items.extend(_rdfa_node(item) for item in found if isinstance(item, dict))
    return items


_RDFA_POSTINGS = lxml.etree.XPath(
    "//*[contains(@typeof, 'JobPosting')][not(ancestor::*[contains(@typeof, 'JobPosting')])]"
)
# Postings read from one page's RDFa, and the largest posting element read.
MAX_RDFA_POSTINGS = 10
MAX_RDFA_BYTES = 256 * 1024


def _with_context(element) -> bytes:
    """The element as a document of its own, keeping the vocabulary and prefixes in force."""
    context = {}
    for attribute in ("vocab", "prefix"):
        if element.get(attribute) is None:
            for ancestor in element.iterancestors():
                if ancestor.get(attribute) is not None:
                    context[attribute] = ancestor.get(attribute)
                    break
    element = copy.deepcopy(element)
    element.tail = None
    for attribute, value in context.items():
        element.set(attribute, value)
    return b"<html><body>" + lxml.html.tostring(element, encoding="utf-8") + b"</body></html>"


def _rdfa_node(item: dict) -> dict:
    """Expanded JSON-LD from the RDF graph, in compact form: local property names, single
    values unwrapped; nested nodes stay references by @id, followed by the JSON-LD reader."""
    node: dict[str, Any] = {}
    for key, value in item.items():
        if key == "@id":
            node[key] = value
        elif key == "@type":
            node[key] = [local_name(t) for t in (value if isinstance(value, list) else [value])]
        else:
            unwrapped = [_rdfa_value(v) for v in (value if isinstance(value, list) else [value])]
            node[local_name(key)] = unwrapped[0] if len(unwrapped) == 1 else unwrapped
    return node


def _rdfa_value(value: Any) -> Any:
    if isinstance(value, dict) and "@value" in value:
        return value["@value"]
    return value


def page_guess(page: str, *, base_url: str = "") -> dict:
    """What a page says about itself outside structured data: OpenGraph first, then its
    <title>, canonical link and main text. Keys: title, company, location, description, url,
    source; {} when the page has no title at all."""
    tree = _tree(page)
    if tree is None:
        return {}
    meta = {}
    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or "").strip().lower()
        content = element.get("content")
        if key and content and key not in meta:
            meta[key] = content.strip()
    title = meta.get("og:title") or meta.get("twitter:title") or ""
    source = "opengraph" if title else "page"
    if not title:
        title = _text_of(tree.find(".//title")) or _text_of(tree.find(".//h1"))
    if not title.strip():
        return {}
    canonical = ""
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            canonical = link.get("href").strip()
            break
    url = values.web_url(meta.get("og:url") or canonical, base_url)
    description = meta.get("og:description") or meta.get("description") or ""
    main_text = _main_text(tree)
    body = main_text if len(main_text) > len(description) else description
    title, company, location = tidy_title(values.text(title), values.text(meta.get("og:site_name")))
    return {
        "title": title,
        "company": company,
        "location": location,
        "description": _paragraphs(body),
        "url": url,
        "source": source,
    }


# Job boards whose name ends page titles and fills og:site_name: never the employer.
BOARD_NAMES = frozenset(
    {"linkedin", "indeed", "indeed.com", "glassdoor", "monster", "stepstone", "xing", "otta"}
)
_COUNTER = re.compile(r"^\(\d+\+?\)\s*")
_HIRING_MAX = 300  # "Acme hiring Welder in Leeds": a page title, never a page
_HIRING = re.compile(r"^(?P<company>.+?) hiring (?P<title>.+?)(?: in (?P<location>.+))?$")


def tidy_title(title: str, site_name: str) -> tuple[str, str, str]:
    """(title, company, location) guessed from a page title such as "(3) Acme hiring Welder in
    Leeds | LinkedIn" or "Welder | Acme | LinkedIn"; the site's name is the company unless it
    is a job board's."""
    title = _COUNTER.sub("", title)
    parts = [part.strip() for part in title.split(" | ")]
    board = site_name.lower() in BOARD_NAMES
    if len(parts) > 1 and (
        parts[-1].lower() in BOARD_NAMES or parts[-1].lower() == site_name.lower()
    ):
        board = board or parts[-1].lower() in BOARD_NAMES
        parts = parts[:-1]
    company = "" if board else site_name
    location = ""
    hiring = _HIRING.match(parts[0]) if len(parts[0]) <= _HIRING_MAX else None
    if board and len(parts) == 1 and hiring:
        return hiring["title"], hiring["company"], hiring["location"] or ""
    if board and len(parts) == 2:
        parts, company = parts[:1], parts[1]
    return " | ".join(parts), company, location


def _parser() -> lxml.html.HTMLParser:
    return lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)


def _tree(page: str):
    """The parsed page, or None for a page lxml finds empty (only comments, only spaces)."""
    try:
        return lxml.html.fromstring(page.encode("utf-8"), parser=_parser())
    except (lxml.etree.ParserError, ValueError):
        return None


def _text_of(element) -> str:
    if element is None:
        return ""
    return " ".join(element.text_content().split())


def _main_text(tree) -> str:
    for tag in ("nav", "header", "footer", "form", "aside"):
        for element in list(tree.iter(tag)):
            element.drop_tree()
    main = None
    for tag in ("main", "article", "body"):
        main = tree.find(f".//{tag}")
        if main is not None:
            break
    text = html_text.extract_text(main if main is not None else tree, guess_layout=True)
    lines = [" ".join(line.split()) for line in text[:MAX_PAGE_TEXT].split("\n")]
    return "\n".join(line for line in lines if line)


def _paragraphs(text: str) -> str:
    if not text:
        return ""
    return "".join(f"<p>{html.escape(line, quote=False)}</p>" for line in text.split("\n") if line)
