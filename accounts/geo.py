"""Coarse location from an IP address: a country and a region at most, never a city."""

import logging
import threading
from dataclasses import dataclass

import geoip2.database
import geoip2.errors
import maxminddb
from django.conf import settings

from accounts.regions import is_region
from jobtrax.net import parse_ip

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_reader: geoip2.database.Reader | None = None
_reader_path: str | None = None
# A path that failed to open is not retried on every request: one attempt per process.
_failed_path: str | None = None


@dataclass(frozen=True)
class CoarseLocation:
    country: str
    region: str = ""


def _get_reader() -> geoip2.database.Reader | None:
    """One reader per process, opened on first use with the C extension when it is there."""
    global _reader, _reader_path, _failed_path
    path = settings.GEOIP_COUNTRY_DB
    if not path or path == _failed_path:
        return None
    if _reader is not None and _reader_path == path:
        return _reader
    with _lock:
        if _reader is None or _reader_path != path:
            try:
                _reader = geoip2.database.Reader(path, mode=maxminddb.MODE_AUTO)
                _reader_path = path
            except (OSError, ValueError, maxminddb.InvalidDatabaseError):
                logger.warning("GeoIP database could not be opened; location stays unknown")
                _failed_path = path
                return None
    return _reader


def reset_reader() -> None:
    global _reader, _reader_path, _failed_path
    with _lock:
        if _reader is not None:
            _reader.close()
        _reader = None
        _reader_path = None
        _failed_path = None


def locate(ip: str | None) -> CoarseLocation | None:
    address = parse_ip(ip)
    if address is None:
        return None
    ip = str(address)
    reader = _get_reader()
    if reader is None:
        return None
    try:
        if "City" in reader.metadata().database_type:
            response = reader.city(ip)
            subdivisions = response.subdivisions
            region = (subdivisions[0].iso_code or "") if len(subdivisions) else ""
        else:
            response = reader.country(ip)
            region = ""
    except (ValueError, TypeError, maxminddb.InvalidDatabaseError, geoip2.errors.GeoIP2Error):
        return None
    # Only the country and the region leave this function: the city, postal code and
    # coordinates of a City record are dropped here.
    country = response.country.iso_code or response.registered_country.iso_code
    if not country or len(country) != 2:
        return None
    country = country.upper()
    # A region only when it is one of the country's ISO 3166-2 subdivisions.
    if region and not is_region(country, region):
        region = ""
    return CoarseLocation(country=country, region=region)
