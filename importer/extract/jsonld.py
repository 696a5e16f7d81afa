"""schema.org JobPosting in JSON-LD script blocks, as real pages write it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

import jstyleson

from importer.extract import values
from importer.posting import Posting

_SCRIPT = re.compile(
    r"<script\b[^>]*?\btype\s*=\s*[\"']?\s*application/ld\+json\b[^>]*>(.*?)</script\s*>",
    re.IGNORECASE | re.DOTALL,
)
_WRAPPERS = re.compile(r"^\s*(?:<!--|<!\[CDATA\[)|(?:-->|\]\]>)\s*$")
_BAD_ESCAPE = re.compile(r"\\'")
# Nodes visited in one page's JSON-LD, and postings taken from it: enough for any real page,
# small enough that a hostile payload cannot keep a worker busy.
MAX_NODES = 20_000
MAX_POSTINGS = 50
MAX_DEPTH = 20


def script_blocks(page: str) -> list[str]:
    return [match.group(1) for match in _SCRIPT.finditer(page)]


def loads(block: str) -> Any:
    """Strict JSON first; only when that fails, a lenient pass for comments, trailing commas,
    raw control characters and HTML comment wrappers. None when neither reads it."""
    try:
        return json.loads(block)
    except ValueError:
        pass
    cleaned = _WRAPPERS.sub("", block.strip())
    cleaned = _BAD_ESCAPE.sub("'", cleaned)
    try:
        return json.loads(jstyleson.dispose(cleaned), strict=False)
    except (ValueError, RecursionError, IndexError, TypeError):
        return None


def types_of(node: dict) -> set[str]:
    """Bare type names: "JobPosting", ["JobPosting"], "schema:JobPosting", "http://schema.org/JobPosting"."""
    raw = node.get("@type", node.get("type"))
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        return set()
    return {re.split(r"[/:#]", item)[-1] for item in raw if isinstance(item, str)}


def walk(data: Any) -> Iterator[dict]:
    """Every object in the data, depth first, bounded in depth and count."""
    stack = [(data, 0)]
    seen = 0
    while stack and seen < MAX_NODES:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            continue
        if isinstance(node, dict):
            seen += 1
            yield node
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        stack.extend((child, depth + 1) for child in reversed(list(children)))


def blocks_data(page: str) -> list[Any]:
    found = []
    for block in script_blocks(page):
        data = loads(block)
        if data is not None:
            found.append(data)
    return found


def postings_from_data(
    data: list[Any], *, base_url: str = "", source: str = "jsonld"
) -> tuple[list[Posting], set[str]]:
    """(postings, every type seen). Nested references by @id are followed."""
    nodes: list[dict] = []
    by_id: dict[str, dict] = {}
    all_types: set[str] = set()
    for item in data:
        for node in walk(item):
            nodes.append(node)
            node_id = node.get("@id")
            if isinstance(node_id, str) and len(node) > 1:
                by_id.setdefault(node_id, node)
    postings = []
    for node in nodes:
        node_types = types_of(node)
        all_types |= node_types
        if "JobPosting" in node_types and len(postings) < MAX_POSTINGS:
            posting = job_posting(node, by_id=by_id, base_url=base_url, source=source)
            if posting.title:
                postings.append(posting)
    return postings, all_types


def job_posting(
    node: dict, *, by_id: dict[str, dict] | None = None, base_url: str = "", source: str = "jsonld"
) -> Posting:
    by_id = by_id or {}

    def ref(value: Any) -> Any:
        if isinstance(value, dict) and set(value) <= {"@id", "@type"} and "@id" in value:
            return by_id.get(value["@id"], value)
        if isinstance(value, list):
            return [ref(item) for item in value]
        return value

    title = values.text(node.get("title")) or values.text(node.get("name"))
    location = _location(ref(node.get("jobLocation")), ref)
    if not location:
        location = _places(ref(node.get("applicantLocationRequirements")), ref)
    location_type = values.text_list(node.get("jobLocationType")).upper()
    if "TELECOMMUTE" in location_type:
        workplace = "remote"
    else:
        workplace = values.workplace_from_label(location)
    salary_min, salary_max, currency, unit = _salary(
        ref(node.get("baseSalary")), values.text(node.get("salaryCurrency"))
    )
    if salary_min is None and salary_max is None:
        salary_min, salary_max, currency, unit = _salary(
            ref(node.get("estimatedSalary")), values.text(node.get("salaryCurrency"))
        )
    url = values.text(node.get("url"))
    if url and base_url:
        url = urljoin(base_url, url)
    return Posting(
        title=title,
        company=_organisation(ref(node.get("hiringOrganization")), ref),
        location=location,
        **values.workplace_fields(workplace),
        employment_type=values.text_list(node.get("employmentType")),
        salary_min=salary_min,
        salary_max=salary_max,
        salary_currency=currency,
        salary_interval=unit,
        date_posted=values.to_date(node.get("datePosted")),
        valid_through=values.to_date(node.get("validThrough")),
        url=url,
        apply_url=_apply_url(node, base_url),
        description=values.description(node.get("description")),
        source=source,
        board_id=_identifier(ref(node.get("identifier"))),
    )


def _identifier(value: Any) -> str:
    """A PropertyValue's value (its name is the issuer), or a plain string."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        return values.text(value.get("value")) or values.text(value.get("@id"))
    return values.text(value)


def _organisation(value: Any, ref) -> str:
    if isinstance(value, list):
        for item in value:
            name = _organisation(ref(item), ref)
            if name:
                return name
        return ""
    if isinstance(value, dict):
        return values.text(value.get("name")) or values.text(value.get("legalName"))
    return values.text(value)


def _address(value: Any) -> str:
    if isinstance(value, dict):
        parts = [
            values.text(value.get("addressLocality")),
            values.text(value.get("addressRegion")),
            _country(value.get("addressCountry")),
        ]
        joined = ", ".join(p for p in parts if p)
        return joined or values.text(value.get("name"))
    return values.text(value)


def _country(value: Any) -> str:
    if isinstance(value, dict):
        return values.text(value.get("name")) or values.text(value.get("identifier"))
    return values.text(value)


def _location(value: Any, ref) -> str:
    """jobLocation: a Place, a PostalAddress, a string, or a list of those ("; " between)."""
    items = value if isinstance(value, list) else [value]
    found = []
    for item in items:
        item = ref(item)
        if isinstance(item, dict):
            address = ref(item.get("address"))
            name = _address(address) if address is not None else ""
            if not name and "Place" not in types_of(item):
                name = _address(item)
            name = name or values.text(item.get("name"))
        else:
            name = values.text(item)
        if name and name not in found:
            found.append(name)
    return "; ".join(found)


def _places(value: Any, ref) -> str:
    """applicantLocationRequirements: Country/State/AdministrativeArea names."""
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        item = ref(item)
        name = values.text(item.get("name")) if isinstance(item, dict) else values.text(item)
        if name and name not in names:
            names.append(name)
    return ", ".join(names)


def _salary(value: Any, currency: str) -> tuple:
    """baseSalary as a number, a numeric or free-text string, a MonetaryAmount whose value is a
    number or a QuantitativeValue (value, or minValue/maxValue), with unitText on either."""
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None or isinstance(value, bool):
        return None, None, "", ""
    if isinstance(value, int | float | str):
        amount = values.to_decimal(value)
        if amount is not None:
            return amount, amount, currency, ""
        if isinstance(value, str):
            low, high, text_currency, unit = values.salary_from_text(value)
            return low, high, currency or text_currency, unit
        return None, None, "", ""
    if not isinstance(value, dict):
        return None, None, "", ""
    currency = values.text(value.get("currency")) or currency
    unit = values.interval(value.get("unitText"))
    inner = value.get("value")
    if isinstance(inner, list):
        inner = inner[0] if inner else None
    if isinstance(inner, dict):
        unit = values.interval(inner.get("unitText")) or unit
        low, high = _range(inner)
    elif inner is not None:
        amount = values.to_decimal(inner)
        if amount is None and isinstance(inner, str):
            low, high, text_currency, text_unit = values.salary_from_text(inner)
            return low, high, currency or text_currency, unit or text_unit
        low = high = amount
    else:
        low, high = _range(value)
    if low is None and high is None:
        return None, None, "", ""
    return low, high, currency, unit


def _range(node: dict) -> tuple:
    low = values.to_decimal(node.get("minValue"))
    high = values.to_decimal(node.get("maxValue"))
    single = values.to_decimal(node.get("value"))
    if low is None and high is None and single is not None:
        return single, single
    if single is not None:
        low = low if low is not None else single
        high = high if high is not None else single
    return low, high


def _apply_url(node: dict, base_url: str) -> str:
    for key in ("applicationContact", "potentialAction"):
        target = node.get(key)
        if isinstance(target, list):
            target = target[0] if target else None
        if isinstance(target, dict):
            url = values.text(target.get("url")) or values.text(target.get("target"))
            if url.startswith(("http://", "https://", "/")):
                return urljoin(base_url, url) if base_url else url
    return ""
