from pathlib import Path

from django.conf import settings
from django.core.checks import Warning, register


@register()
def geoip_database_check(app_configs, **kwargs) -> list:
    path = settings.GEOIP_COUNTRY_DB
    if not path:
        return [
            Warning(
                "GEOIP_COUNTRY_DB is not set: locations cannot be inferred and stay unknown.",
                hint="Point GEOIP_COUNTRY_DB at a MaxMind GeoLite2 Country or City .mmdb file.",
                id="jobtrax.W001",
            )
        ]
    if not Path(path).is_file():
        return [
            Warning(
                f"GEOIP_COUNTRY_DB points at {path}, which is not a file.",
                hint="Locations stay unknown until the database file is there.",
                id="jobtrax.W002",
            )
        ]
    return []
