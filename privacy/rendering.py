"""Turning a notice body into safe HTML, with its figures filled in from settings and registries.

Staff write Markdown with placeholders such as {{ retention.request_logs_anonymise }}. The
placeholders are replaced by plain string substitution (never the template engine), then the
Markdown is rendered and the HTML sanitised with nh3, so a body cannot carry scripts.
"""

import difflib
import hashlib
import re
from dataclasses import dataclass, field

import markdown
import nh3
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from jobtrax import datamap
from jobtrax.cache import cache_get, cache_set
from privacy.processors import get_processors

PLACEHOLDER_RE = re.compile(r"\{\{\s*([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)?)\s*\}\}")

# Periods the notice may state that are set by law rather than by our retention settings.
LEGAL_PERIODS = {"ccpa_lookback": "12 months"}

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li", "ol", "p",
    "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}}
URL_SCHEMES = {"http", "https", "mailto"}


def placeholder_values() -> dict[str, str]:
    """Every placeholder a notice body may use, and its current value."""
    values = {
        "company.name": settings.JOBTRAX_COMPANY_NAME,
        "contact.privacy_email": settings.JOBTRAX_PRIVACY_EMAIL,
        "contact.support_email": settings.JOBTRAX_SUPPORT_EMAIL,
        "minimum_age": str(settings.JOBTRAX_MINIMUM_AGE),
        "site.url": settings.SITE_URL,
        "processors": _processors_markdown(),
        "recipients": _processors_markdown(recipients=True),
        "ccpa.categories": ccpa_categories_markdown(),
        "links.versions": reverse("privacy:versions"),
        "links.processors": reverse("privacy:processors"),
        "links.choices": _reverse_or_contact("consent:choices"),
        "links.your_data": _reverse_or_contact("rights:your_data"),
        "links.contact": reverse("support:contact"),
    }
    for policy in datamap.policies():
        values[f"retention.{policy.name}"] = policy.window_display
    for name, period in LEGAL_PERIODS.items():
        values[f"law.{name}"] = period
    return values


def _reverse_or_contact(name: str) -> str:
    # Another app's page; if it is not installed, the contact page is the way in.
    try:
        return reverse(name)
    except NoReverseMatch:
        return reverse("support:contact")


def ccpa_categories_markdown() -> str:
    """Section 10's categories of personal information, from the CCPA category each declared
    kind of data gives itself: a new kind of data shows up here without anyone editing text."""
    titles: dict[str, list[str]] = {}
    for kind in datamap.kinds():
        if kind.get_model() is not None:
            for category in kind.ccpa_categories:
                titles.setdefault(category, []).append(kind.title[:1].lower() + kind.title[1:])
    return "\n".join(f"- **{category}**: {'; '.join(names)}." for category, names in titles.items())


def _processors_markdown(*, recipients: bool = False) -> str:
    lines = []
    for processor in get_processors():
        if processor.recipient != recipients:
            continue
        who = processor.provider or f"for example {processor.examples}"
        state = "in use" if processor.active else "not in use in this deployment"
        lines.append(
            f"- **{processor.name}** ({who}; {state}): {processor.purpose} "
            f"What they receive: {processor.data_sent}"
            + (f" Model training: {processor.training}" if processor.training else "")
        )
    return "\n".join(lines)


def unknown_placeholders(body: str) -> list[str]:
    known = placeholder_values()
    return sorted({name for name in PLACEHOLDER_RE.findall(body) if name not in known})


def substitute(body: str, values: dict[str, str] | None = None) -> str:
    """Fill in the placeholders. An unknown one stays visible, so a preview shows the mistake."""
    values = placeholder_values() if values is None else values
    return PLACEHOLDER_RE.sub(lambda match: values.get(match.group(1), match.group(0)), body)


@dataclass
class Rendered:
    html: SafeString
    toc: list[dict] = field(default_factory=list)


def _slugify(value: str, separator: str) -> str:
    # A prefix keeps section ids from clashing with the page's own ids (main, ...).
    return "section-" + (slugify(value) or "untitled")


def render_markdown(text: str) -> Rendered:
    md = markdown.Markdown(
        extensions=["toc", "tables", "sane_lists"],
        extension_configs={"toc": {"slugify": _slugify, "toc_depth": "2-3"}},
    )
    raw = md.convert(text)
    html = nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    toc = [
        {
            "id": token["id"],
            "name": token["name"],
            "children": [{"id": c["id"], "name": c["name"]} for c in token["children"]],
        }
        for token in md.toc_tokens
    ]
    return Rendered(html=mark_safe(html), toc=toc)  # noqa: S308 - sanitised by nh3 above


def render_body(body: str) -> Rendered:
    """The rendered notice, cached by the exact text it renders from."""
    text = substitute(body)
    key = "privacy:notice:html:" + hashlib.sha256(text.encode()).hexdigest()
    cached = cache_get(key)
    if cached is not None:
        return Rendered(html=mark_safe(cached["html"]), toc=cached["toc"])  # noqa: S308
    rendered = render_markdown(text)
    cache_set(key, {"html": str(rendered.html), "toc": rendered.toc}, 24 * 3600)
    return rendered


@dataclass
class DiffRow:
    kind: str  # "equal", "changed", "added" or "removed"
    old: SafeString
    new: SafeString


def _words(line: str) -> list[str]:
    return re.split(r"(\s+)", line)


def _mark(pieces: list[str], tag: str) -> str:
    text = "".join(pieces)
    if not text:
        return ""
    return f"<{tag}>{escape(text)}</{tag}>"


def _diff_line(old: str, new: str) -> tuple[str, str]:
    old_words, new_words = _words(old), _words(new)
    left, right = [], []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            left.append(escape("".join(old_words[i1:i2])))
            right.append(escape("".join(new_words[j1:j2])))
            continue
        left.append(_mark(old_words[i1:i2], "del"))
        right.append(_mark(new_words[j1:j2], "ins"))
    return "".join(left), "".join(right)


def diff_bodies(old_body: str, new_body: str) -> list[DiffRow]:
    """A side-by-side diff of two bodies, line by line, with changed words marked.

    Everything is escaped before <ins>/<del> are added, so the output is safe as HTML.
    """
    values = placeholder_values()
    old_lines = [line for line in substitute(old_body, values).splitlines() if line.strip()]
    new_lines = [line for line in substitute(new_body, values).splitlines() if line.strip()]
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for line in old_lines[i1:i2]:
                rows.append(DiffRow("equal", mark_safe(escape(line)), mark_safe(escape(line))))  # noqa: S308
            continue
        old_chunk, new_chunk = old_lines[i1:i2], new_lines[j1:j2]
        for index in range(max(len(old_chunk), len(new_chunk))):
            old = old_chunk[index] if index < len(old_chunk) else None
            new = new_chunk[index] if index < len(new_chunk) else None
            if old is not None and new is not None:
                left, right = _diff_line(old, new)
                kind = "changed"
            elif old is not None:
                left, right, kind = _mark([old], "del"), "", "removed"
            else:
                left, right, kind = "", _mark([new], "ins"), "added"
            rows.append(DiffRow(kind, mark_safe(left), mark_safe(right)))  # noqa: S308
    return rows
