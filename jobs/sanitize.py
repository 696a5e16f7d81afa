"""Job descriptions: HTML from postings, cleaned before it is stored or shown."""

import html
import re
import string

import nh3

from jobs.models import DESCRIPTION_MAX
from jobtrax.html_nesting import limit_nesting

ALLOWED_TAGS = {
    "p", "br", "ul", "ol", "li", "strong", "b", "em", "i", "u", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "a", "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td", "dl",
    "dt", "dd", "sub", "sup", "span", "div",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href"}}
_ENTITY = re.compile(r"&(#\d+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);")


def _unescape_fully(value: str) -> str:
    """Undo entity encoding, however many times it was applied, so that an encoded tag is
    seen (and removed) by the sanitiser instead of surviving as text that decodes later."""
    for _ in range(5):
        if not _ENTITY.search(value):
            break
        decoded = html.unescape(value)
        if decoded == value:
            break
        value = decoded
    return value


def looks_like_html(value: str) -> bool:
    """Whether the text holds a tag (`<p>`, `</b>`, `<a href=...>`) or a comment (`<!-- -->`).

    One pass over the text, whatever it holds: each `<` is looked at once, and the next `>` is
    found once for all the `<` before it (no regular expression, which would backtrack over
    unclosed comments and tags)."""
    comment_end = value.rfind("-->")
    size = len(value)
    next_gt = -1
    at = value.find("<")
    while at >= 0:
        if value.startswith("!--", at + 1) and comment_end >= at + 4:
            return True
        name = at + 2 if value.startswith("/", at + 1) else at + 1
        following = value.find("<", at + 1)
        if name < size and value[name] in _LETTERS:
            if next_gt < name:
                next_gt = value.find(">", name)
                if next_gt < 0:
                    next_gt = size  # no `>` left: no tag can close any more
            if next_gt < size and (following < 0 or next_gt < following):
                return True
        at = following
    return False


_LETTERS = frozenset(string.ascii_letters)


def _text_to_html(value: str) -> str:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", value) if p.strip()]
    return "".join(
        "<p>" + "<br>".join(html.escape(line) for line in p.splitlines()) + "</p>"
        for p in paragraphs
    )


def _clean(value: str) -> str:
    return nh3.clean(
        limit_nesting(value),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def sanitize_description(value: str | None) -> str:
    """Safe HTML for a description given as HTML or plain text, entity-encoded or not."""
    value = (value or "").replace("\x00", "")
    value = _unescape_fully(value)
    if not looks_like_html(value):
        value = _text_to_html(value)
    cleaned = _clean(value)
    margin = 200
    while len(cleaned) > DESCRIPTION_MAX:
        # Cut at a tag boundary and let the sanitiser close what the cut left open.
        limit = DESCRIPTION_MAX - margin
        cut = cleaned.rfind("<", 0, limit)
        cleaned = _clean(cleaned[: cut if cut > 0 else limit])
        margin *= 2
    return cleaned


def description_text(value: str) -> str:
    """The description as plain text (for search, CSV and the writing assistant)."""
    text = re.sub(r"<(br|/p|/li|/h\d|/tr)\s*/?>", "\n", value or "")
    return html.unescape(nh3.clean(text, tags=set())).strip()
