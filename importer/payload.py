"""The bookmarklet: its code, and the payload it sends in the URL fragment.

The code runs in the job site's page the way a browser runs a bookmark. It loads no script and
calls no `fetch`, so the site's CSP cannot stop it: it reads the page's JSON-LD blocks (64 KB at
most), canonical URL, title, OpenGraph tags and selected text, and opens
`/jobs/import/#d=<base64url JSON>`. A fragment never reaches a server or a Referer header; the
import page's static script moves it into a same-origin POST.

The server treats the payload as untrusted in every way: `read_payload` checks its size, its
encoding, its shape and every value before anything reads it.
"""

from __future__ import annotations

import base64
import binascii
import html
import json
import re
from urllib.parse import quote

from importer.fetch import FetchError, check_url

MAX_PAYLOAD_CHARS = 200_000
MAX_JSONLD_CHARS = 65_536
MAX_JSONLD_BLOCKS = 20
MAX_SELECTION_CHARS = 20_000
MAX_TITLE_CHARS = 500
MAX_OG_TAGS = 40
MAX_OG_VALUE_CHARS = 2_000
BASE64URL = re.compile(r"^[A-Za-z0-9_-]*={0,2}$")
OG_KEY = re.compile(r"^(og|article|job):[A-Za-z0-9_:.-]{1,60}$")

MESSAGES = {
    "payload_not_base64": "The bookmarklet sent something that is not in the expected format. "
    "Drag the bookmarklet to your bookmarks bar again from this site.",
    "payload_not_json": "The bookmarklet sent data JobTrax cannot read. Drag the bookmarklet to "
    "your bookmarks bar again from this site.",
    "payload_too_large": "The page sent too much data to import (over 64 KB of job data). Import "
    "the page's link instead, or paste the posting's text.",
    "payload_invalid": "The bookmarklet sent data that does not describe a page. Import the "
    "page's link instead.",
}

# Kept readable here; `bookmarklet_code` strips the comments and line breaks.
_SOURCE = r"""
(function () {
  var target = __TARGET__, cap = 65536, sent = {v: 1, url: location.href};
  var canonical = document.querySelector('link[rel="canonical"]');
  if (canonical && canonical.href) sent.canonical = canonical.href;
  sent.title = String(document.title || '').slice(0, 500);
  var og = {}, count = 0;
  document.querySelectorAll('meta[property],meta[name]').forEach(function (m) {
    var key = m.getAttribute('property') || m.getAttribute('name') || '';
    if (/^(og|article|job):/.test(key) && count < 40) {
      og[key.slice(0, 64)] = String(m.getAttribute('content') || '').slice(0, 2000);
      count += 1;
    }
  });
  sent.og = og;
  var blocks = [], size = 0, tooBig = false;
  document.querySelectorAll('script[type="application/ld+json"]').forEach(function (s) {
    var text = s.textContent || '';
    size += text.length;
    if (size > cap || blocks.length >= 20) { tooBig = true; } else { blocks.push(text); }
  });
  sent.jsonld = blocks;
  var selection = window.getSelection ? String(window.getSelection()) : '';
  if (selection) sent.selection = selection.slice(0, 20000);
  var encode = function (value) {
    var bytes = new TextEncoder().encode(JSON.stringify(value)), text = '';
    for (var i = 0; i < bytes.length; i += 8192) {
      text += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
    }
    return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  };
  var data = tooBig ? '' : encode(sent);
  if (tooBig || data.length > 150000) data = encode({v: 1, url: sent.url, url_only: true});
  location.assign(target + '#d=' + data);
})();
"""


def bookmarklet_code(target: str) -> str:
    """The `javascript:` URL for a bookmark that sends the current page to `target`."""
    lines = [line.strip() for line in _SOURCE.strip().splitlines()]
    code = " ".join(line for line in lines if line and not line.startswith("//"))
    code = code.replace("__TARGET__", json.dumps(target))
    return "javascript:" + quote(code, safe="(){}[];,=+-*!'.:/?&|<>_ ~^$\\")


class PayloadError(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code
        self.message = MESSAGES[code]


def _short_text(value, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise PayloadError("payload_invalid")
    return value.replace("\x00", "")[:limit]


def read_payload(payload: str) -> dict:
    """The checked content of a bookmarklet payload, or PayloadError with a clear message."""
    if not isinstance(payload, str):
        raise PayloadError("payload_invalid")
    payload = payload.strip().removeprefix("#").removeprefix("d=")
    if len(payload) > MAX_PAYLOAD_CHARS:
        raise PayloadError("payload_too_large")
    if not payload or not BASE64URL.match(payload):
        raise PayloadError("payload_not_base64")
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    except (binascii.Error, ValueError):
        raise PayloadError("payload_not_base64") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise PayloadError("payload_not_json") from None
    if not isinstance(data, dict) or data.get("v") != 1:
        raise PayloadError("payload_invalid")
    return check_payload(data)


def check_payload(data: dict) -> dict:
    """The checked content of what was captured from a page, as the bookmarklet or the
    extension sends it (already decoded), or PayloadError with a clear message."""
    if not isinstance(data, dict):
        raise PayloadError("payload_invalid")
    try:
        url = check_url(data.get("url"))
    except FetchError:
        raise PayloadError("payload_invalid") from None
    canonical = data.get("canonical")
    try:
        canonical = check_url(canonical) if canonical else ""
    except FetchError:
        canonical = ""  # a page's odd canonical link is ignored, not an error
    blocks = data.get("jsonld") or []
    if not isinstance(blocks, list) or not all(isinstance(b, str) for b in blocks):
        raise PayloadError("payload_invalid")
    if len(blocks) > MAX_JSONLD_BLOCKS or sum(len(b) for b in blocks) > MAX_JSONLD_CHARS:
        raise PayloadError("payload_too_large")
    og = data.get("og") or {}
    if not isinstance(og, dict) or len(og) > MAX_OG_TAGS:
        raise PayloadError("payload_invalid")
    tags = {}
    for key, value in og.items():
        if isinstance(key, str) and OG_KEY.match(key) and isinstance(value, str):
            tags[key] = value.replace("\x00", "")[:MAX_OG_VALUE_CHARS]
    selection = _short_text(data.get("selection"), MAX_SELECTION_CHARS + 1)
    if len(selection) > MAX_SELECTION_CHARS:
        raise PayloadError("payload_too_large")
    return {
        "url": url,
        "url_only": data.get("url_only") is True,
        "canonical": canonical,
        "title": _short_text(data.get("title"), MAX_TITLE_CHARS),
        "og": tags,
        "jsonld": blocks,
        "selection": selection.strip(),
    }


def payload_page(data: dict) -> str:
    """A small HTML document holding what the bookmarklet sent, for the extractor to read."""
    esc = html.escape
    head = [f"<title>{esc(data['title'])}</title>"]
    if data["canonical"]:
        head.append(f'<link rel="canonical" href="{esc(data["canonical"])}">')
    head += [f'<meta property="{esc(k)}" content="{esc(v)}">' for k, v in data["og"].items()]
    for block in data["jsonld"]:
        # A block cannot close its own script element early.
        safe = re.sub(r"</(script)", r"<\\/\1", block.replace("\x00", ""), flags=re.I)
        head.append(f'<script type="application/ld+json">{safe}</script>')
    body = f"<main>{esc(data['selection'])}</main>" if data["selection"] else ""
    return f"<!doctype html><html><head>{''.join(head)}</head><body>{body}</body></html>"
