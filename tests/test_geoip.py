"""Coarse location from a real MaxMind DB: a country and a region at most, never a city."""

import dataclasses
from http import HTTPStatus
from pathlib import Path

import geoip2.database
import pytest
from django.core import checks

from accounts import geo
from accounts.models import LocationSource, User

SIGNUP = "/accounts/signup/"
LONDON = "81.2.69.142"
LINKOPING = "89.160.20.128"
MILTON = "216.160.83.56"
JAPAN = "2001:218::1"


@pytest.fixture
def use_db(settings):
    """Point the app at a given .mmdb file, with a fresh per-process reader."""

    def point_at(path: Path | str) -> None:
        settings.GEOIP_COUNTRY_DB = str(path)
        geo.reset_reader()

    yield point_at
    geo.reset_reader()


@pytest.mark.parametrize(
    ("ip", "expected"),
    [
        (LONDON, ("GB", "ENG")),
        (LINKOPING, ("SE", "E")),
        (MILTON, ("US", "WA")),
        (JAPAN, ("JP", "")),
        ("::ffff:81.2.69.142", ("GB", "ENG")),
    ],
)
def test_it_keeps_the_country_and_region_from_a_city_database(geoip, ip, expected):
    location = geo.locate(ip)

    assert (location.country, location.region) == expected


def test_it_never_keeps_the_city_or_coordinates(geoip):
    location = geo.locate(LONDON)

    assert {field.name for field in dataclasses.fields(location)} == {"country", "region"}
    assert "London" not in repr(location)
    assert "51.5" not in repr(location)


@pytest.mark.parametrize(
    ("ip", "expected"), [(LONDON, ("GB", "")), (LINKOPING, ("SE", "")), (JAPAN, ("JP", ""))]
)
def test_it_keeps_the_country_from_a_country_database(use_db, geoip_country_db, ip, expected):
    use_db(geoip_country_db)

    location = geo.locate(ip)

    assert (location.country, location.region) == expected


@pytest.mark.parametrize("ip", ["127.0.0.1", "10.1.2.3", "192.0.2.1", "::1", "", None, "not-an-ip"])
def test_it_leaves_unknown_addresses_unknown(geoip, ip):
    assert geo.locate(ip) is None


@pytest.mark.parametrize(
    "name", ["GeoLite2-City-Test.mmdb", "GeoIP2-City-Test.mmdb", "GeoLite2-Country-Test.mmdb"]
)
def test_it_reads_maxminds_own_test_databases(use_db, shared_geoip, name):
    use_db(shared_geoip / name)
    is_city = "City" in name

    london = geo.locate("81.2.69.142")
    japan = geo.locate("2001:218::")

    assert (london.country, london.region) == ("GB", "ENG" if is_city else "")
    assert "London" not in repr(london)
    assert (japan.country, japan.region) == ("JP", "")


@pytest.mark.parametrize(
    "name",
    [
        "libmaxminddb-corrupt-search-tree.mmdb",
        "libmaxminddb-metadata-marker-only.mmdb",
        "libmaxminddb-offset-integer-overflow.mmdb",
    ],
)
def test_it_treats_a_corrupt_database_as_unknown_location(use_db, shared_geoip, name):
    path = shared_geoip / "bad" / name
    assert path.is_file()
    use_db(path)

    for ip in (LONDON, LINKOPING, JAPAN, "1.1.1.1", "::1"):
        assert geo.locate(ip) is None


def test_it_signs_up_with_unknown_location_on_a_corrupt_database(client, db, use_db, tmp_path):
    corrupt = tmp_path / "corrupt.mmdb"
    corrupt.write_bytes(b"\xab\xcd\xefMaxMind.com" + b"\x00" * 64)
    use_db(corrupt)

    response = client.post(
        SIGNUP,
        {
            "email": "corrupt@example.com",
            "password1": "a-Long-and-unusual-passphrase-42",
            "password2": "a-Long-and-unusual-passphrase-42",
            "is_adult": "on",
        },
        REMOTE_ADDR=LONDON,
    )

    assert response.status_code == HTTPStatus.FOUND
    user = User.objects.get(email="corrupt@example.com")
    assert not user.country
    assert user.location_source == LocationSource.UNKNOWN


def test_it_warns_in_the_system_checks_when_the_database_is_missing(use_db, tmp_path):
    use_db(tmp_path / "nowhere.mmdb")

    assert geo.locate(LONDON) is None
    found = checks.run_checks(include_deployment_checks=True)
    assert "jobtrax.W002" in {message.id for message in found}


def test_it_warns_in_the_system_checks_when_no_database_is_configured(settings):
    settings.GEOIP_COUNTRY_DB = ""
    geo.reset_reader()

    assert geo.locate(LONDON) is None
    found = checks.run_checks(include_deployment_checks=True)
    assert "jobtrax.W001" in {message.id for message in found}
    # Not on every start of the development server: `make run` says it once instead.
    assert "jobtrax.W001" not in {message.id for message in checks.run_checks()}


def test_it_has_no_geoip_warning_when_the_database_is_there(geoip):
    ids = {message.id for message in checks.run_checks(include_deployment_checks=True)}

    assert not {"jobtrax.W001", "jobtrax.W002"} & ids


@pytest.fixture
def count_opens(monkeypatch):
    opened: list[str] = []
    real_reader = geoip2.database.Reader

    class CountingReader(real_reader):
        def __init__(self, path, *args, **kwargs):
            opened.append(str(path))
            super().__init__(path, *args, **kwargs)

    monkeypatch.setattr(geoip2.database, "Reader", CountingReader)
    return opened


def test_it_opens_the_reader_once_per_process(geoip, count_opens):
    for ip in [LONDON, LINKOPING, MILTON, JAPAN] * 25:
        assert geo.locate(ip) is not None

    assert count_opens == [str(geoip)]


def test_it_tries_a_broken_database_only_once_per_process(use_db, tmp_path, count_opens):
    broken = tmp_path / "broken.mmdb"
    broken.write_bytes(b"not a database")
    use_db(broken)

    for _ in range(10):
        assert geo.locate(LONDON) is None

    assert count_opens == [str(broken)]


def test_it_uses_the_c_extension_when_it_is_available(geoip):
    extension = pytest.importorskip("maxminddb.extension")

    geo.locate(LONDON)

    assert isinstance(geo._reader._db_reader, extension.Reader)


@pytest.mark.parametrize("ip", ["127.1", "81.2.69", "", "81.2.69.142\x00", "::ffff:81.2.69"])
def test_it_refuses_malformed_addresses_before_the_reader(geoip, ip):
    assert geo.locate(ip) is None


def test_it_reads_an_ipv4_mapped_address_as_ipv4(geoip):
    assert geo.locate("::ffff:81.2.69.142") == geo.locate("81.2.69.142")
