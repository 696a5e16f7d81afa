"""California (notice section 10): the categories of personal information the notice lists
are exactly those of the data map, and each kind of data sits under every category its fields
fall into."""

import re

import pytest

from jobtrax import datamap
from privacy.rendering import ccpa_categories_markdown
from rights import registry

# The CCPA category a column falls into, by what it holds (Cal. Civ. Code 1798.140(v)).
FIELD_CATEGORIES = {
    "email": datamap.IDENTIFIERS,
    "subject_email": datamap.IDENTIFIERS,
    "reply_to": datamap.IDENTIFIERS,
    "ip": datamap.IDENTIFIERS,
    "country": datamap.GEOLOCATION,
    "region": datamap.GEOLOCATION,
    "route": datamap.NETWORK_ACTIVITY,
    "browser_family": datamap.NETWORK_ACTIVITY,
    "os_family": datamap.NETWORK_ACTIVITY,
    "device_type": datamap.NETWORK_ACTIVITY,
}
CATEGORIES = {
    datamap.IDENTIFIERS,
    datamap.NETWORK_ACTIVITY,
    datamap.GEOLOCATION,
    datamap.PROFESSIONAL,
    datamap.COMMERCIAL,
    datamap.INFERENCES,
}


def listed() -> dict[str, str]:
    """Section 10's list: category to the kinds of data under it."""
    return dict(re.findall(r"^- \*\*(.+?)\*\*: (.+)\.$", ccpa_categories_markdown(), re.M))


def kinds():
    return registry.installed_kinds()


@pytest.mark.parametrize("kind", kinds(), ids=lambda kind: kind.name)
def test_each_kind_is_under_every_category_its_fields_fall_into(kind):
    names = {f.attname: f.name for f in kind.get_model()._meta.concrete_fields}
    columns = {names.get(name, name) for name in kind.export_fields()}
    needed = {FIELD_CATEGORIES[c] for c in columns if c in FIELD_CATEGORIES}

    assert needed <= set(kind.ccpa_categories), kind.name
    assert set(kind.ccpa_categories) <= CATEGORIES
    title = kind.title[:1].lower() + kind.title[1:]
    for category in kind.ccpa_categories:
        assert title in listed()[category].split("; "), (kind.name, category)


def test_the_notice_lists_no_category_the_data_map_does_not_hold():
    declared = {category for kind in kinds() for category in kind.ccpa_categories}

    assert set(listed()) == declared


def test_the_location_people_give_or_we_infer_is_listed_as_geolocation():
    geolocation = listed()[datamap.GEOLOCATION].split("; ")

    assert "your account" in geolocation
    assert "countries you signed in from" in geolocation
