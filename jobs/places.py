"""Locations that read as places: "Berlin, BE, DE" (how job boards send them) becomes
"Berlin, Germany". Only two- and three-letter codes are read, and only against a country the
text names by its code; anything else is kept as written."""

from functools import lru_cache

import pycountry

_ALIASES = {"UK": "GB"}


@lru_cache(maxsize=512)
def _country(code: str):
    code = _ALIASES.get(code, code)
    if len(code) == 2:
        return pycountry.countries.get(alpha_2=code)
    if len(code) == 3:
        return pycountry.countries.get(alpha_3=code)
    return None


def _country_name(country) -> str:
    return getattr(country, "common_name", None) or country.name


@lru_cache(maxsize=512)
def _region_name(country_code: str, code: str) -> str:
    try:
        region = pycountry.subdivisions.get(code=f"{country_code}-{code}")
    except (KeyError, LookupError):
        return ""
    return region.name if region is not None else ""


def _is_code(part: str) -> bool:
    return 2 <= len(part) <= 3 and part.isascii() and part.isalpha() and part.isupper()


def place_name(text: str) -> str:
    """The location with its country and region codes spelled out, a region dropped when it
    only repeats the city ("Berlin, BE, DE" → "Berlin, Germany")."""
    parts = [p.strip() for p in (text or "").split(",")]
    parts = [p for p in parts if p]
    if len(parts) < 2 or not _is_code(parts[-1]):
        return text
    country = _country(parts[-1])
    if country is None:
        return text
    named = []
    for part in parts[:-1]:
        if _is_code(part):
            region = _region_name(country.alpha_2, part)
            if region:
                if any(region.casefold() == seen.casefold() for seen in named):
                    continue
                part = region
        named.append(part)
    named.append(_country_name(country))
    return ", ".join(named)
