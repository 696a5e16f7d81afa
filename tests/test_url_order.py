"""The project's URL patterns never shadow one another, so their order is free to follow how
often each is asked for (jobtrax/urls.py puts the tracker's pages first): every pattern's own
example address resolves to that pattern and no other."""

import re
import uuid

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.converters import get_converters

# Values to put where a converter goes: the first its pattern takes.
POOL = ["7", str(uuid.UUID(int=7)), "1.2", "A" * 22, "sample.token:part", "sample"]


def _sample(kind: str) -> str:
    regex = get_converters()[kind].regex
    return next(value for value in POOL if re.fullmatch(regex, value))


GUARD = re.compile(r"\^\(\?=[^()]*\)")  # an app's look-ahead (jobtrax.urls.app_urls)


def _leaves(patterns, prefix: str = ""):
    for entry in patterns:
        route = GUARD.sub("", str(entry.pattern))
        if isinstance(entry, URLResolver):
            yield from _leaves(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            yield prefix + route, entry


def _example(route: str) -> str | None:
    if route.startswith("^") or "(?" in route:  # a regular-expression route: no example
        return None
    return "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: _sample(m.group(1) or "str"), route)


def test_every_pattern_s_example_resolves_to_that_pattern():
    checked = 0
    for route, pattern in _leaves(get_resolver().url_patterns):
        if route.startswith("admin/"):
            continue  # the admin's own patterns, in their own order
        path = _example(route)
        if path is None or "<" in path:
            continue
        match = resolve(path)
        assert match.func == pattern.callback or GUARD.sub("", match.route) == route, (
            route,
            match.route,
        )
        checked += 1
    assert checked > 100  # every page of the project, not a handful
