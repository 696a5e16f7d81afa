"""Coarse location from an IP address: a country and a region at most, never a city."""

import logging
import threading
from dataclasses import dataclass

import geoip2.database
import geoip2.errors
import maxminddb
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from accounts.regions import is_region
from jobtrax.net import parse_ip

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_reader: geoip2.database.Reader | None = None
# A database that failed to open is not retried on every request: one attempt per process.
_failed = False


@dataclass(frozen=True)
class CoarseLocation:
    country: str
    region: str = ""


def _get_reader() -> geoip2.database.Reader | None:
    """One reader per process, opened on first use with the C extension when it is there.

    The open reader (or the failure) is kept until GEOIP_COUNTRY_DB changes, so a lookup does
    not read the setting: a settings attribute costs about as much as a lookup's miss.
    """
    global _reader, _failed
    reader = _reader
    if reader is not None or _failed:
        return reader
    path = settings.GEOIP_COUNTRY_DB
    if not path:
        return None
    with _lock:
        if _reader is None and not _failed:
            try:
                _reader = geoip2.database.Reader(path, mode=maxminddb.MODE_AUTO)
            except (OSError, ValueError, maxminddb.InvalidDatabaseError):
                logger.warning("GeoIP database could not be opened; location stays unknown")
                _failed = True
        return _reader


def reset_reader() -> None:
    global _reader, _failed
    with _lock:
        if _reader is not None:
            _reader.close()
        _reader = None
        _failed = False


@receiver(setting_changed)
def _reset_on_setting_change(*, setting: str, **kwargs) -> None:
    if setting == "GEOIP_COUNTRY_DB":
        reset_reader()


def locate(ip: str | None) -> CoarseLocation | None:
    reader = _get_reader()
    if not ip or reader is None:
        return None
    # The address string goes straight to the C reader, which parses it strictly (and raises
    # ValueError on anything else). Only the dotted IPv4-mapped form (::ffff:192.0.2.1, how
    # dual-stack sockets report IPv4) goes through parse_ip first, to be read as IPv4. Parsing
    # every address in Python doubled the cost of a lookup.
    # Callers pass addresses from jobtrax.net.client_ip, already in canonical form; anything
    # else that is not plainly four dotted numbers or IPv6 is parsed by Python first, so that
    # legacy short forms ("127.1") are refused as parse_ip refuses them.
    address: object = ip
    if ("." in ip and ":" in ip) or (":" not in ip and ip.count(".") != 3):
        address = parse_ip(ip)
        if address is None:
            return None
    try:
        # The raw record of the process's reader rather than geoip2's model objects: building
        # those decodes every name in every language into Python objects on each lookup, and
        # only two codes are kept (benchmarks/geoip.py).
        record = reader._db_reader.get(address)
    except (ValueError, TypeError, maxminddb.InvalidDatabaseError, geoip2.errors.GeoIP2Error):
        return None
    if not isinstance(record, dict):
        return None
    subdivisions = record.get("subdivisions") or ()
    region = (subdivisions[0].get("iso_code") or "") if subdivisions else ""
    # Only the country and the region leave this function: the city, postal code and
    # coordinates of a City record are dropped here.
    country = (record.get("country") or {}).get("iso_code") or (
        record.get("registered_country") or {}
    ).get("iso_code")
    if not country or len(country) != 2:
        return None
    country = country.upper()
    # A region only when it is one of the country's ISO 3166-2 subdivisions.
    if region and not is_region(country, region):
        region = ""
    return CoarseLocation(country=country, region=region)
