"""schema.org JobPosting in JSON-LD script blocks, as real pages write it."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import Any

import jstyleson

from importer.extract import values
from importer.posting import Posting

_SCRIPT_OPEN = re.compile(r"<script", re.IGNORECASE)  # a literal: found in one pass
_LD_TYPE = re.compile(r"\btype\s*=\s*[\"']?\s*application/ld\+json", re.IGNORECASE)
_CLOSE_TAG = re.compile(r"</script\s*>", re.IGNORECASE)
_LD_ANY_CASE = re.compile(r"(?i:ld\+json)")
_WRAPPERS = re.compile(r"^\s*(?:<!--|<!\[CDATA\[)|(?:-->|\]\]>)\s*$")
_BAD_ESCAPE = re.compile(r"\\'")
_TYPE_PREFIX = re.compile(r"^.*[/:#]")
# Nodes visited in one page's JSON-LD, and postings taken from it: enough for any real page,
# small enough that a hostile payload cannot keep a worker busy.
MAX_NODES = 20_000
MAX_POSTINGS = 50
MAX_DEPTH = 20
_CONTAINERS = (dict, list)


def script_blocks(page: str) -> list[str]:
    """The text of every <script type="application/ld+json"> element, in page order."""
    if not _LD_ANY_CASE.search(page):
        return []
    blocks = []
    for attributes, content in _script_tags(page):
        if _LD_TYPE.search(page, attributes, content):
            end = _script_end(page, content)
            blocks.append(page[content:end])
    return blocks


def _script_tags(page: str) -> Iterator[tuple[int, int]]:
    """(where its attributes start, where its content starts) for each `<script ...>` opening
    tag, as an HTML tokenizer sees them: a tag ends at the first `>`, the content of a script
    ends at `</script>`, and nothing inside it is a tag.

    One pass over the page: the search moves forward only, so a page of unclosed `<script `
    costs no more than its length (a regular expression over `[^>]*` scanned to the end of the
    page from each of them)."""
    position = 0
    while (found := _SCRIPT_OPEN.search(page, position)) is not None:
        attributes = found.end()
        if attributes < len(page) and _is_word(page[attributes]):
            position = attributes  # <scripts>, <script_x>: another element
            continue
        close = page.find(">", attributes)
        if close < 0:
            return  # an opening tag never closed: no more tags in this page
        content = close + 1
        yield attributes, content
        position = content
        if _LD_TYPE.search(page, attributes, close):
            position = _script_end(page, content)


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _script_end(page: str, start: int) -> int:
    close = page.find("</script", start)
    if close >= 0 and _CLOSE_TAG.match(page, close):
        return close
    found = _CLOSE_TAG.search(page, start)
    return found.start() if found else len(page)


def loads(block: str) -> Any:
    """Strict JSON first; only when that fails, lenient passes: raw control characters; then
    comments, trailing commas and HTML comment wrappers; then a block whose quotes are written
    as HTML entities, and several objects written one after another. None when nothing reads it."""
    try:
        return json.loads(block)
    except ValueError:
        pass
    except RecursionError:
        return None
    try:
        return json.loads(block, strict=False)
    except ValueError:
        pass
    except RecursionError:
        return None
    cleaned = _WRAPPERS.sub("", block.strip())
    cleaned = _BAD_ESCAPE.sub("'", cleaned)
    if "&quot;" in cleaned[:200]:
        cleaned = html.unescape(cleaned)
    try:
        cleaned = jstyleson.dispose(cleaned)
        return json.loads(cleaned, strict=False)
    except (ValueError, RecursionError, IndexError, TypeError):
        pass
    return _several(cleaned)


def _several(text: str) -> list | None:
    """`{...}{...}` or `{...},{...}`: each object, as a list."""
    decoder = json.JSONDecoder(strict=False)
    found = []
    position = 0
    try:
        while position < len(text):
            while position < len(text) and text[position] in " \t\r\n,;":
                position += 1
            if position >= len(text):
                break
            item, position = decoder.raw_decode(text, position)
            found.append(item)
    except (ValueError, RecursionError):
        return found or None
    return found or None


_type_names: dict[str, str] = {}


def type_name(value: str) -> str:
    """ "schema:JobPosting", "http://schema.org/JobPosting" -> "JobPosting"; the one type this
    reader looks for is also recognised in any letter case ("Jobposting")."""
    name = _type_names.get(value)
    if name is None:
        name = _TYPE_PREFIX.sub("", value.strip())
        if name.lower() == "jobposting":
            name = "JobPosting"
        if len(_type_names) < 1000:
            _type_names[value] = name
    return name


def types_of(node: dict) -> set[str]:
    raw = node.get("@type")
    if raw.__class__ is str:
        return {type_name(raw)}
    if isinstance(raw, list):
        return {type_name(item) for item in raw if isinstance(item, str)}
    return set()


def walk(data: Any) -> list[dict]:
    """Every object in the data, depth first in document order, bounded in depth and count."""
    found: list[dict] = []
    _collect(data, found, 0)
    return found


def _collect(data: Any, found: list[dict], depth: int) -> None:
    if depth > MAX_DEPTH or len(found) >= MAX_NODES:
        return
    if isinstance(data, dict):
        found.append(data)
        children = data.values()
    elif isinstance(data, list):
        children = data
    else:
        return
    for child in children:
        if child.__class__ in _CONTAINERS or isinstance(child, _CONTAINERS):
            _collect(child, found, depth + 1)


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
    jobs: list[dict] = []
    by_id: dict[str, dict] = {}
    all_types: set[str] = set()
    for item in data:
        for node in walk(item):
            node_types = types_of(node)
            if node_types:
                all_types |= node_types
                if "JobPosting" in node_types:
                    jobs.append(node)
            node_id = node.get("@id")
            if node_id.__class__ is str and len(node) > 1:
                by_id.setdefault(node_id, node)
    postings: list[Posting] = []
    for node in jobs[:MAX_POSTINGS]:
        posting = job_posting(node, by_id=by_id, base_url=base_url, source=source)
        # A page may repeat its posting (in the head and again in the body): keep one.
        if posting.title and posting not in postings:
            postings.append(posting)
    return postings, all_types


def job_posting(
    node: dict, *, by_id: dict[str, dict] | None = None, base_url: str = "", source: str = "jsonld"
) -> Posting:
    if by_id:

        def ref(value: Any) -> Any:
            if isinstance(value, dict) and "@id" in value and set(value) <= {"@id", "@type"}:
                return by_id.get(value["@id"], value)
            if isinstance(value, list):
                return [ref(item) for item in value]
            return value

    else:
        ref = _same

    title = values.text(node.get("title")) or values.text(node.get("name"))
    get = node.get
    location = _location(ref(get("jobLocation")), ref) if "jobLocation" in node else ""
    if not location and "applicantLocationRequirements" in node:
        location = _places(ref(get("applicantLocationRequirements")), ref)
    location_type = values.text_list(get("jobLocationType")) if "jobLocationType" in node else ""
    if "TELECOMMUTE" in location_type.upper():
        workplace = "remote"
    elif "HYBRID" in location_type.upper():  # not schema.org's, but written by some sites
        workplace = "hybrid"
    else:
        workplace = values.workplace_from_label(location)
    salary_min = salary_max = None
    currency = unit = ""
    for key in ("baseSalary", "estimatedSalary"):
        if node.get(key) is not None:
            salary_min, salary_max, currency, unit = _salary(
                ref(node[key]), values.text(node.get("salaryCurrency"))
            )
            if salary_min is not None or salary_max is not None:
                break
    url = values.web_url(node.get("url"), base_url)
    apply_url = (
        _apply_url(node, base_url)
        if "applicationContact" in node or "potentialAction" in node
        else ""
    )
    # An apply link stands in only when the posting names no page of its own; then the page
    # it was found on.
    url = url or apply_url or (values.web_url(base_url) if base_url else "")
    return Posting(
        title=title,
        company=_organisation(ref(get("hiringOrganization")), ref)
        if "hiringOrganization" in node
        else "",
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
        apply_url=apply_url,
        description=values.description(node.get("description")),
        source=source,
        board_id=_identifier(ref(get("identifier"))) if "identifier" in node else "",
    )


def _same(value: Any) -> Any:
    return value


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
    if isinstance(value, list):
        return "; ".join(dict.fromkeys(a for a in (_address(item) for item in value) if a))
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
        if low is None and high is None and isinstance(inner.get("value"), str):
            # "value": "50000-60000" or "$25/hour", written as text
            low, high, text_currency, text_unit = values.salary_from_text(inner["value"])
            currency, unit = currency or text_currency, unit or text_unit
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
            url = values.web_url(target.get("url") or target.get("target"), base_url)
            if url:
                return url
    return ""
