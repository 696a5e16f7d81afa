"""Descriptions as people read and write them: paragraphs, and lists written as "• " lines.

A description is stored as sanitised HTML (jobs.sanitize). Where a person reads or edits it as
text (the job form's text box, the CSV export), it becomes plain paragraphs and bullets here;
what they type comes back as paragraphs and lists. Both directions walk the text once.
"""

from __future__ import annotations

import html
import re

from lxml import etree
from lxml import html as lxml_html

from jobs.sanitize import sanitize_description

BULLET = "• "
BULLETS = ("•", "-", "*", "–", "·", "▪", "◦")
_BLOCKS = frozenset(
    {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "tr", "dl",
     "dt", "dd", "ul", "ol", "hr"}
)  # fmt: skip
# A tag as the sanitiser sees one: text holding one is HTML, not plain text.
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*[\s/>]")


def looks_like_html(value: str) -> bool:
    return bool(_TAG.search(value or ""))


class _Lines:
    """Collects text into lines, with blank lines between paragraphs."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.words: list[str] = []

    def add(self, text: str | None) -> None:
        if text:
            self.words.append(text)

    def line(self, prefix: str = "") -> None:
        joined = " ".join("".join(self.words).split())
        if joined:
            self.lines.append(joined)
        self.words = [prefix] if prefix else []

    def paragraph(self) -> None:
        self.line()
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def text(self) -> str:
        self.line()
        out = "\n".join(self.lines).strip("\n")
        return re.sub(r"\n{3,}", "\n\n", out)


def description_plain(value: str | None) -> str:
    """A description as plain text: paragraphs apart by a blank line, list items as "• " lines."""
    clean = sanitize_description(value or "")
    if not clean:
        return ""
    root = lxml_html.fragment_fromstring(clean, create_parent="div")
    out = _Lines()
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in _BLOCKS:
                out.paragraph()
            elif tag == "li":
                out.line(BULLET)
            elif tag == "br":
                out.line()
            out.add(element.text)
        else:
            if tag in _BLOCKS:
                out.paragraph()
            elif tag == "li":
                out.line()
            if element is not root:
                out.add(element.tail)
    return out.text()


def _bullet(line: str) -> str | None:
    if line[:1] in BULLETS and line[1:2] == " ":
        return line[2:].strip()
    return None


def text_to_html(text: str) -> str:
    """Plain text as HTML: blank lines part paragraphs, line breaks stay, bullet lines are a
    list. Everything is escaped: the text holds no markup."""
    out: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if paragraph:
            out.append("<p>" + "<br>".join(paragraph) + "</p>")
            paragraph.clear()
        if items:
            out.append("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")
            items.clear()

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush()
            continue
        item = _bullet(line)
        if item is not None:
            if paragraph:
                flush()
            if item:
                items.append(html.escape(item, quote=False))
        else:
            if items:
                flush()
            paragraph.append(html.escape(line, quote=False))
    flush()
    return "".join(out)


def description_from_text(value: str | None) -> str:
    """What a person typed or pasted, as a safe description: HTML is sanitised as it is, plain
    text becomes paragraphs and lists."""
    value = value or ""
    if looks_like_html(value):
        return sanitize_description(value)
    return sanitize_description(text_to_html(value))


def same_text(a: str | None, b: str | None) -> bool:
    """Whether two texts are the same once line endings and spaces at line ends are set aside."""

    def norm(value: str | None) -> str:
        lines = (value or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
        return "\n".join(line.strip() for line in lines).strip()

    return norm(a) == norm(b)
