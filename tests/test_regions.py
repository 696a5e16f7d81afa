"""A region is one of the ISO 3166-2 subdivisions of the chosen country, and nothing else."""

import importlib
from http import HTTPStatus

import pytest
from django.apps import apps
from mmdb_writer import MMDBWriter
from netaddr import IPSet

from accounts import geo
from accounts.models import LocationSource, User

PROFILE = "/profile/"


@pytest.mark.parametrize(
    ("country", "typed", "stored"),
    [
        ("US", "California", "CA"),
        ("US", "ca", "CA"),
        ("US", "US-CA", "CA"),
        ("GB", "England", "ENG"),
        ("GB", "Cymru", "WLS"),
        ("DE", "Bayern", "BY"),
        ("FR", "  bretagne ", "BRE"),
        ("JP", "13", "13"),
    ],
)
def test_it_stores_a_subdivision_named_by_its_code_or_name(
    client_logged_in, user, country, typed, stored
):
    response = client_logged_in.post(PROFILE, {"country": country, "region": typed})

    assert response.status_code == HTTPStatus.FOUND
    user.refresh_from_db()
    assert (user.country.code, user.region, user.location_source) == (
        country,
        stored,
        LocationSource.CHOSEN,
    )


@pytest.mark.parametrize(
    ("country", "typed"),
    [
        ("GB", "Camden Town"),
        ("GB", "221B Baker Street"),
        ("GB", "<b>London</b>"),
        ("GB", "CA"),  # California's code, not a region of the United Kingdom
        ("DE", "Bavaria"),  # not the ISO name
        ("US", "SW1A 1AA"),
        ("US", "x" * 65),
    ],
)
def test_it_refuses_anything_else_with_a_clear_message(client_logged_in, user, country, typed):
    response = client_logged_in.post(PROFILE, {"country": country, "region": typed})

    assert response.status_code == HTTPStatus.OK
    errors = " ".join(response.context["form"].errors["region"])
    assert "not a region of" in errors or "at most 64 characters" in errors
    user.refresh_from_db()
    assert (user.region, user.location_source) == ("", LocationSource.UNKNOWN)


def test_it_refuses_a_region_at_signup_that_is_not_a_subdivision(client, db):
    from tests.test_signup import SIGNUP, signup_data

    response = client.post(SIGNUP, signup_data(country="GB", region="Camden Town"))

    assert response.status_code == HTTPStatus.OK
    assert "This is not a region of United Kingdom" in response.content.decode()
    assert not User.objects.exists()


def test_it_offers_the_countrys_subdivisions_as_a_list(client_logged_in, user):
    User.objects.filter(pk=user.pk).update(country="US", region="CA", location_source="chosen")

    html = client_logged_in.get(PROFILE).content.decode()

    assert '<select name="region"' in html
    assert '<option value="CA" selected>California</option>' in html
    assert '<option value="WY">Wyoming</option>' in html


def test_it_shows_the_region_by_its_name(client_logged_in, user):
    User.objects.filter(pk=user.pk).update(country="GB", region="ENG", location_source="inferred")

    html = client_logged_in.get(PROFILE).content.decode()

    assert "United Kingdom, England" in html


@pytest.fixture
def odd_regions_db(tmp_path, settings):
    """A City database whose records name regions that are not ISO 3166-2 subdivisions."""
    writer = MMDBWriter(ip_version=6, database_type="GeoIP2-City", ipv4_compatible=True)
    for network, country, region in [
        ("198.51.100.0/24", "FR", "Camden Town"),
        ("203.0.113.0/24", "GB", "CA"),
        ("192.0.2.0/24", "US", "TX"),
    ]:
        writer.insert_network(
            IPSet([network]),
            {"country": {"iso_code": country}, "subdivisions": [{"iso_code": region}]},
        )
    path = tmp_path / "odd.mmdb"
    writer.to_db_file(str(path))
    settings.GEOIP_COUNTRY_DB = str(path)
    geo.reset_reader()
    yield path
    geo.reset_reader()


@pytest.mark.parametrize(
    ("ip", "expected"),
    [("198.51.100.7", ("FR", "")), ("203.0.113.7", ("GB", "")), ("192.0.2.7", ("US", "TX"))],
)
def test_it_keeps_a_geoip_region_only_when_it_is_a_subdivision(odd_regions_db, ip, expected):
    location = geo.locate(ip)

    assert (location.country, location.region) == expected


def test_it_clears_free_text_regions_and_tells_the_user_on_the_profile(client, db):
    from tests.conftest import make_user

    kept = make_user("kept@example.com", country="US", region="California")
    coded = make_user("coded@example.com", country="GB", region="ENG")
    cleared = make_user("cleared@example.com", country="GB", region="Camden Town")
    nowhere = make_user("nowhere@example.com", country="", region="Somewhere")
    migration = importlib.import_module("accounts.migrations.0005_regions_iso_3166_2")

    migration.to_subdivisions(apps, None)

    rows = dict(User.objects.values_list("email", "region"))
    assert rows[kept.email] == "CA"
    assert rows[coded.email] == "ENG"
    assert rows[cleared.email] == ""
    assert rows[nowhere.email] == ""
    flagged = set(User.objects.filter(region_was_cleared=True).values_list("email", flat=True))
    assert flagged == {cleared.email, nowhere.email}

    client.force_login(cleared)
    page = client.get(PROFILE).content.decode()
    assert 'data-testid="region-cleared"' in page
    client.post(PROFILE, {"country": "GB", "region": "Scotland"})
    cleared.refresh_from_db()
    assert (cleared.region, cleared.region_was_cleared) == ("SCT", False)
    assert 'data-testid="region-cleared"' not in client.get(PROFILE).content.decode()
