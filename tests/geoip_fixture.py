"""Builds a small, real MaxMind DB in the City schema for tests, with the same records as
MaxMind's own test data for a few well-known addresses."""

from pathlib import Path

from mmdb_writer import MmdbF64, MMDBWriter
from netaddr import IPSet

NETWORKS = {
    "81.2.69.0/24": ("GB", "United Kingdom", "ENG", "England", "London", 51.5142, -0.0931),
    "89.160.20.0/24": ("SE", "Sweden", "E", "Östergötland County", "Linköping", 58.4167, 15.6167),
    "216.160.83.0/24": ("US", "United States", "WA", "Washington", "Milton", 47.2513, -122.3149),
    "175.16.199.0/24": ("CN", "China", "22", "Jilin Sheng", "Changchun", 43.88, 125.3228),
    "2001:218::/32": ("JP", "Japan", None, None, None, 35.68536, 139.75309),
}


def build_city_db(path: Path) -> Path:
    writer = MMDBWriter(ip_version=6, database_type="GeoIP2-City", ipv4_compatible=True)
    for network, (code, name, region, region_name, city, lat, lon) in NETWORKS.items():
        record: dict = {
            "country": {"iso_code": code, "names": {"en": name}},
            "registered_country": {"iso_code": code, "names": {"en": name}},
            "location": {"latitude": MmdbF64(lat), "longitude": MmdbF64(lon)},
        }
        if region:
            record["subdivisions"] = [{"iso_code": region, "names": {"en": region_name}}]
        if city:
            record["city"] = {"names": {"en": city}}
            record["postal"] = {"code": "00000"}
        writer.insert_network(IPSet([network]), record)
    writer.to_db_file(str(path))
    return path


def build_country_db(path: Path) -> Path:
    writer = MMDBWriter(ip_version=6, database_type="GeoLite2-Country", ipv4_compatible=True)
    for network, (code, name, *_rest) in NETWORKS.items():
        writer.insert_network(
            IPSet([network]), {"country": {"iso_code": code, "names": {"en": name}}}
        )
    writer.to_db_file(str(path))
    return path
