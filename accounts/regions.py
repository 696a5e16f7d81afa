"""Regions are ISO 3166-2 subdivisions of the account's country, as `pycountry` lists them.

A region is stored as the part of its code after the country (`CA` for `US-CA`, `ENG` for
`GB-ENG`), the form GeoIP databases use. Anything that is not a subdivision of the country,
such as a town, a street or a postal code, is refused.
"""

import re
from functools import lru_cache

import pycountry

_BRACKETS = re.compile(r"\s*\[(.*?)\]\s*")


def _plain(name: str) -> str:
    """ "Wales [Cymru GB-CYM]" -> "Wales": the name without its bracketed alternatives."""
    return _BRACKETS.sub(" ", name).strip()


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


@lru_cache(maxsize=512)
def subdivisions(country: str) -> tuple[tuple[str, str], ...]:
    """(code without the country prefix, name) of every subdivision of a country, by name."""
    found = pycountry.subdivisions.get(country_code=(country or "").upper()) or []
    rows = {(sub.code.split("-", 1)[1], _plain(sub.name)) for sub in found}
    return tuple(sorted(rows, key=lambda row: (_key(row[1]), row[0])))


@lru_cache(maxsize=512)
def _lookup(country: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for sub in pycountry.subdivisions.get(country_code=country.upper()) or []:
        code = sub.code.split("-", 1)[1]
        names = [_plain(sub.name), *_BRACKETS.findall(sub.name)]
        for name in names:
            # Bracketed alternatives may end with another code ("Cymru GB-CYM"): keep the name.
            name = re.sub(r"\s+[A-Z]{2}-[A-Z0-9]{1,3}$", "", name)
            table.setdefault(_key(name), code)
        table[_key(code)] = code
        table[_key(sub.code)] = code
    return table


def region_code(country: str, value: str) -> str | None:
    """The subdivision code that `value` (a code, with or without its country prefix, or a
    name) names in `country`; None when it names none."""
    if not country or not value:
        return None
    return _lookup(country.upper()).get(_key(value))


def is_region(country: str, code: str) -> bool:
    return bool(code) and any(row[0] == code for row in subdivisions(country))


def region_name(country: str, code: str) -> str:
    for sub_code, name in subdivisions(country):
        if sub_code == code:
            return name
    return code
