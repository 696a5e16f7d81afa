"""HTML nested deeper than any real page, flattened before it reaches the sanitiser.

The sanitiser (nh3, on html5ever) builds the document tree; for each tag it may look through
the elements still open, so 20,000 unclosed `<div>` cost it time in the square of their
number. Here one pass over the text drops the opening tags that would nest deeper than
MAX_DEPTH (their text stays), which keeps the sanitiser's work in proportion to the text.
"""

import string

MAX_DEPTH = 200

# Elements that never hold content, and those a sibling of the same kind closes.
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_SIBLING_CLOSES = {
    "p": {"p"},
    "li": {"li"},
    "dt": {"dt", "dd"},
    "dd": {"dt", "dd"},
    "tr": {"tr", "td", "th"},
    "td": {"td", "th"},
    "th": {"td", "th"},
    "option": {"option"},
}
_NAME_CHARS = frozenset(string.ascii_letters + string.digits + "-")
_LETTERS = frozenset(string.ascii_letters)


def limit_nesting(value: str, max_depth: int = MAX_DEPTH) -> str:
    """`value` with every opening tag that would be deeper than `max_depth` removed."""
    if value.count("<") <= max_depth:
        return value  # too few tags to nest that deep
    size = len(value)
    open_names: list[str] = []
    kept: list[str] = []
    copied = 0  # value[:copied] is in `kept`
    next_gt = -1
    at = value.find("<")
    while at >= 0:
        closing = value.startswith("/", at + 1)
        start = at + 2 if closing else at + 1
        if start >= size or value[start] not in _LETTERS:
            at = value.find("<", at + 1)
            continue
        if next_gt < start:
            next_gt = value.find(">", start)
            if next_gt < 0:
                break  # no tag closes any more
        end = start
        while end < next_gt and value[end] in _NAME_CHARS:
            end += 1
        name = value[start:end].lower()
        tag_end = next_gt + 1
        if closing:
            if name in open_names:
                while open_names.pop() != name:
                    pass
        elif name not in _VOID and not value.startswith("/", next_gt - 1):
            closes = _SIBLING_CLOSES.get(name)
            if closes and open_names and open_names[-1] in closes:
                open_names.pop()
            if len(open_names) >= max_depth:
                kept.append(value[copied:at])  # drop the tag, keep what follows it
                copied = tag_end
            else:
                open_names.append(name)
        at = value.find("<", tag_end)
    if not kept:
        return value
    kept.append(value[copied:])
    return "".join(kept)
