"""Reading one email in memory: its text, and the original message under a forward.

Python's `email` package (policy.default) reads the MIME structure; lxml turns HTML into text.
Attachments are never read: only text parts and attached messages (message/rfc822) are looked
at, and only so many of them. Nothing here writes anything anywhere.
"""

from __future__ import annotations

import email
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.message import EmailMessage, Message
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

from lxml import etree, html

from inbox.dates import parse_loose_datetime

MAX_PARTS = 200  # MIME parts looked at, at most, whatever the message holds
MAX_DEPTH = 8  # attached messages and forwards inside forwards
MAX_TEXT = 200_000  # characters of text read from one message
MAX_HTML = 500_000  # characters of HTML given to the parser


class Unreadable(Exception):
    """The message cannot be read; `code` says why, without any of its content."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class Link:
    text: str
    href: str


@dataclass
class Original:
    """The message as its first sender wrote it: under the forward markers, if any."""

    sender: str = ""  # an address, lowercased
    sender_name: str = ""
    subject: str = ""
    date: datetime | None = None
    text: str = ""
    html: str = ""  # the HTML body, when the message had one (for job alerts)
    forwarded: bool = False
    reply_to: list[str] = field(default_factory=list)


MAX_BOUNDARY_LINES = 2000  # lines that could open a MIME part, counted before parsing


def read_message(raw: bytes) -> EmailMessage:
    # A message of many thousands of parts is refused before the parser builds them all.
    if raw.count(b"\n--") > MAX_BOUNDARY_LINES:
        raise Unreadable("too_many_parts")
    try:
        return email.message_from_bytes(raw, policy=policy.default)
    except (RecursionError, MemoryError):
        raise Unreadable("too_complex") from None
    except Exception:
        raise Unreadable("malformed") from None


def header(message: Message, name: str) -> str:
    """A header's value as text, or "" when it is missing or cannot be decoded."""
    try:
        value = message.get(name)
    except Exception:
        return ""
    if value is None:
        return ""
    try:
        return " ".join(str(value).split())[:2000]
    except Exception:
        return ""


def addresses(message: Message, *names: str) -> list[str]:
    found: list[str] = []
    for name in names:
        try:
            values = message.get_all(name) or []
        except Exception:  # noqa: S112 - an undecodable header names no one
            continue
        for _, address in getaddresses([str(v) for v in values][:50]):
            address = address.strip().lower()
            if "@" in address and address not in found:
                found.append(address)
    return found


def _decoded(part: Message) -> str:
    """A text part's content: its declared charset, else UTF-8, else Latin-1 (never fails)."""
    try:
        content = part.get_content()
        if isinstance(content, str):
            return content
    except Exception:  # noqa: S110 - an unknown or lying charset: read the bytes below
        pass
    try:
        data = part.get_payload(decode=True) or b""
    except Exception:
        return ""
    if not isinstance(data, bytes):
        return ""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1", errors="replace")


BLOCK_TAGS = {
    "p", "div", "br", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "hr", "section", "article", "header", "footer", "td", "th", "dd", "dt",
    "pre", "center",
}  # fmt: skip


def html_tree(markup: str):
    markup = markup[:MAX_HTML].replace("\x00", "")
    if not markup.strip():
        return None
    try:
        parser = html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
        tree = html.document_fromstring(markup, parser=parser)
    except (etree.ParserError, ValueError):
        return None
    for bad in tree.xpath("//script|//style|//head|//title"):
        bad.drop_tree()
    return tree


def html_to_text(markup: str) -> str:
    """Text of an HTML body, one line per block, with lxml (never a regex on the markup)."""
    tree = html_tree(markup)
    if tree is None:
        return ""
    out: list[str] = []
    for event, element in etree.iterwalk(tree, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in BLOCK_TAGS:
                out.append("\n")
            if element.text and tag:
                out.append(element.text)
        else:
            if tag in BLOCK_TAGS and tag != "br":
                out.append("\n")
            if element.tail:
                out.append(element.tail)
    lines = (" ".join(line.split()) for line in "".join(out).splitlines())
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


@dataclass
class _Bodies:
    plain: str = ""
    html: str = ""
    attached: list[Message] = field(default_factory=list)


def _bodies(message: Message) -> _Bodies:
    """The first plain and HTML bodies and the attached messages, looking at MAX_PARTS parts
    at most and never at an attachment's content."""
    found = _Bodies()
    seen = 0
    stack: list[Message] = [message]
    while stack and seen < MAX_PARTS:
        part = stack.pop()
        seen += 1
        ctype = (part.get_content_type() or "").lower()
        if ctype == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            if isinstance(inner, Message):
                found.attached.append(inner)
            continue
        if part.is_multipart():
            payload = part.get_payload()
            if isinstance(payload, list):
                stack.extend(reversed(payload[:MAX_PARTS]))
            continue
        disposition = (part.get_content_disposition() or "").lower()
        if disposition == "attachment":
            continue  # never read
        if ctype == "text/plain" and not found.plain:
            found.plain = _decoded(part)[:MAX_TEXT]
        elif ctype == "text/html" and not found.html:
            found.html = _decoded(part)[:MAX_HTML]
    if stack:
        raise Unreadable("too_many_parts")
    return found


def _date(message: Message) -> datetime | None:
    value = header(message, "Date")
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return parse_loose_datetime(value)
    return parsed if parsed.tzinfo else None


def original(message: Message, depth: int = 0) -> Original:
    """What the first sender wrote: an attached message, or the text under forward markers,
    or else the message itself."""
    bodies = _bodies(message)
    name, sender = parseaddr(header(message, "From"))
    found = Original(
        sender=sender.lower(),
        sender_name=name,
        subject=header(message, "Subject"),
        date=_date(message),
        html=bodies.html,
        reply_to=addresses(message, "Reply-To"),
    )
    found.text = bodies.plain or html_to_text(bodies.html)
    if depth >= MAX_DEPTH:
        return found
    if bodies.attached and not _forward_block(found.text):
        inner = original(bodies.attached[0], depth + 1)
        inner.forwarded = True
        return inner
    forwarded = unforward(found.text, own=frozenset({found.sender}))
    if forwarded is not None:
        forwarded.html = bodies.html  # alerts are found by structure, wherever they are
        return forwarded
    return found


# Forwards written into the text ------------------------------------------------------------------

MARKERS = (
    "forwarded message", "original message", "begin forwarded message",
    "weitergeleitete nachricht", "ursprüngliche nachricht", "anfang der weitergeleiteten",
    "beginn der weitergeleiteten", "message transféré", "message d'origine",
    "début du message réexpédié", "message réexpédié", "mensaje reenviado", "mensaje original",
    "inicio del mensaje reenviado", "e-mail transféré", "correo reenviado",
)  # fmt: skip
FROM_LABELS = {"from", "von", "de", "da", "expéditeur", "remitente"}
DATE_LABELS = {"date", "sent", "datum", "gesendet", "envoyé", "enviado", "fecha", "envoyé le"}
SUBJECT_LABELS = {"subject", "betreff", "objet", "asunto", "sujet"}
OTHER_LABELS = {"to", "cc", "an", "à", "a", "para", "reply-to", "antwort an", "répondre à"}
LABELS = FROM_LABELS | DATE_LABELS | SUBJECT_LABELS | OTHER_LABELS
# "From: ...", "De : ...", "*From:* ..." (Gmail's plain text marks bold with stars).
HEADER_LINE = re.compile(
    r"^[*_]{0,2}([A-Za-zÀ-ÿ][A-Za-zÀ-ÿ\- ]{0,14}?)[*_]{0,2}\s?:[*_]{0,2}\s*(.*)$"
)
QUOTE = re.compile(r"^(?:>\s?)+")


def _strip_quote(line: str) -> str:
    return QUOTE.sub("", line).strip()


def _header_line(line: str) -> tuple[str, str] | None:
    match = HEADER_LINE.match(_strip_quote(line))
    if not match:
        return None
    label = match.group(1).strip().lower()
    return (label, match.group(2).strip()) if label in LABELS else None


def _forward_block(text: str) -> tuple[int, int, dict] | None:
    """The first block of forwarded headers: (first line, line after it, {label kind: value}).
    It needs a From line and a date or subject line within a few lines of each other, in any
    order (Thunderbird puts the subject first)."""
    lines = text.splitlines()
    for start, line in enumerate(lines[:4000]):
        parsed = _header_line(line)
        if not parsed or parsed[0] in OTHER_LABELS:
            continue
        values: dict[str, str] = {}
        end = start
        last_label = ""
        while end < len(lines) and end - start < 14:
            item = _header_line(lines[end])
            if item is None:
                stripped = _strip_quote(lines[end])
                if not stripped:
                    # One blank line between header lines (some HTML-to-text conversions).
                    if end + 1 < len(lines) and _header_line(lines[end + 1]):
                        end += 1
                        continue
                    break
                if last_label and len(stripped) < 200:  # a wrapped header value
                    values[last_label] = (values.get(last_label, "") + " " + stripped).strip()
                    end += 1
                    continue
                break
            label, value = item
            kind = (
                "date" if label in DATE_LABELS
                else "subject" if label in SUBJECT_LABELS
                else "from" if label in FROM_LABELS
                else "other"
            )  # fmt: skip
            if kind == "from" and "from" in values and len(values) > 1:
                break
            values.setdefault(kind, value)
            last_label = kind if kind != "other" else ""
            end += 1
        if "from" in values and ("date" in values or "subject" in values):
            return start, end, values
    return None


def _is_marker(line: str) -> bool:
    stripped = _strip_quote(line).strip("-_=* :").lower()
    return any(marker in stripped for marker in MARKERS) and len(stripped) < 80


def _address_in(value: str) -> tuple[str, str]:
    """("Name", "address") from "Name <a@b>", "Name [mailto:a@b]", "a@b" or "Name a@b"."""
    value = value.replace("[mailto:", "<").replace("]", ">").replace("*", "")
    name, address = parseaddr(value)
    if "@" not in address:
        match = re.search(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", value)
        address = match.group(0) if match else ""
        name = value.replace(address, "").strip(" <>\"'") if address else value.strip()
    return name.strip(" \"'"), address.lower()


def unforward(text: str, depth: int = 0, own: frozenset = frozenset()) -> Original | None:
    """The original message under a forward's headers, in any of the usual clients' forms; a
    forward of a forward is followed down to the first sender."""
    block = _forward_block(text)
    if block is None:
        return None
    start, end, values = block
    before = text.splitlines()[:start]
    # A header block counts as a forward under a marker line, or at the very start (Outlook).
    # Under a marker line, an Outlook rule, or anywhere: a header block with a From line and
    # a date or subject is the best guess at the original in any case.
    del before
    name, address = _address_in(values.get("from", ""))
    body_lines = [_strip_quote(line) for line in text.splitlines()[end:]]
    body = "\n".join(body_lines).strip()
    found = Original(
        sender=address,
        sender_name=name,
        subject=values.get("subject", ""),
        date=parse_loose_datetime(values.get("date", "")),
        text=body,
        forwarded=True,
    )
    if depth < MAX_DEPTH:
        # A forward of a forward: the next header block follows at once (a line or two of
        # "fyi" at most), or this one is the person's own forward.
        inner = _forward_block(body)
        if inner is not None:
            gap = [_strip_quote(line) for line in body.splitlines()[: inner[0]]]
            gap_text = " ".join(line for line in gap if line and not _is_marker(line))
            if len(gap_text) < 120 or address in own:
                deeper = unforward(body, depth + 1, own)
                if deeper is not None:
                    return deeper
    return found


def links(markup: str) -> list[tuple[object, str, str]]:
    """(element, text, href) of each link in an HTML body."""
    tree = html_tree(markup)
    if tree is None:
        return []
    found = []
    for anchor in tree.iter("a"):
        href = (anchor.get("href") or "").strip()
        if href.startswith(("http://", "https://")):
            found.append((anchor, " ".join(anchor.text_content().split()), href))
    return found
