"""GeoIP: lookups per second through JobTrax's own reader against the bare maxminddb reader.

Run: .venv/bin/python benchmarks/geoip.py [rounds]

Both sides read MaxMind's GeoIP2 City test database (from ../shared/geoip-test-data when it is
there, else one built the way the tests build theirs) with the C extension, and look up the same
mix of addresses: most inside the database's networks, some outside, IPv4 and IPv6.
- JobTrax: `accounts.geo.locate(ip)`, the function signup and sign-in call: it parses the
  address, uses the one reader of the process and keeps only the country and the region.
- Bare: `maxminddb.open_database(path, MODE_AUTO).get(ip)`, which decodes the whole record.
Rounds alternate sides; the best round of each side is compared.
Goals: at least 100,000 lookups a second, and at least 0.8 of the bare reader.
"""

import ipaddress
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from _setup import django_setup  # noqa: E402

django_setup()

import maxminddb  # noqa: E402
from django.conf import settings  # noqa: E402

from accounts import geo  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "geoip-test-data"
LOOKUPS = 20_000


def database() -> tuple[Path, str]:
    shared = SHARED / "GeoIP2-City-Test.mmdb"
    if shared.exists():
        return shared, "MaxMind's GeoIP2-City-Test.mmdb"
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.geoip_fixture import build_city_db

    path = Path(tempfile.mkdtemp()) / "City-Test.mmdb"
    return build_city_db(path), "a City database built like the tests' (shared data absent)"


def addresses(path: Path) -> list[str]:
    """Random addresses inside each network of the database's source, plus misses.

    Distinct addresses, so that no cache on either side could make a round look faster.
    """
    rng = random.Random(42)
    picked: list[str] = []
    source = path.with_name(path.name.replace(".mmdb", ".source.json"))
    if source.exists():
        for block in json.loads(source.read_text()):
            for network in block:
                net = ipaddress.ip_network(network, strict=False)
                for _ in range(40):
                    offset = rng.randrange(net.num_addresses)
                    picked.append(str(net.network_address + offset))
    picked += ["81.2.69.142", "89.160.20.128", "216.160.83.56", "175.16.199.0", "2001:218::"]
    picked += ["8.8.8.8", "192.0.2.1", "2001:db8::1", "198.51.100.7"]  # not in the database
    return (picked * (LOOKUPS // len(picked) + 1))[:LOOKUPS]


def rate(lookup, ips: list[str]) -> float:
    start = time.perf_counter()
    for ip in ips:
        lookup(ip)
    return len(ips) / (time.perf_counter() - start)


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    path, label = database()
    settings.GEOIP_COUNTRY_DB = str(path)
    geo.reset_reader()
    ips = addresses(path)
    bare = maxminddb.open_database(str(path), maxminddb.MODE_AUTO)
    assert geo.locate("81.2.69.142") is not None, "the test database should locate 81.2.69.142"
    print(f"database: {label}; {len(set(ips))} distinct addresses, {len(ips):,} lookups a round")
    print(f"maxminddb C extension: {bare.__class__.__module__}")
    best = {"jobtrax": 0.0, "bare": 0.0}
    for n in range(rounds):
        ours = rate(geo.locate, ips)
        theirs = rate(bare.get, ips)
        best["jobtrax"] = max(best["jobtrax"], ours)
        best["bare"] = max(best["bare"], theirs)
        print(
            f"round {n + 1}: jobtrax {ours:,.0f}/s   bare {theirs:,.0f}/s   "
            f"ratio {ours / theirs:.2f}"
        )
    ratio = best["jobtrax"] / best["bare"]
    print()
    print(f"{'what':<34}{'lookups/s':>14}")
    print(f"{'bare maxminddb reader':<34}{best['bare']:>14,.0f}")
    print(f"{'JobTrax accounts.geo.locate':<34}{best['jobtrax']:>14,.0f}")
    print(
        f"ratio JobTrax / bare: {ratio:.2f} (goal >= 0.8); JobTrax >= 100,000/s: "
        f"{'yes' if best['jobtrax'] >= 100_000 else 'no'}"
    )
    bare.close()


if __name__ == "__main__":
    main()
