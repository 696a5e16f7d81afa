from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.core.exceptions import ImproperlyConfigured

from jobtrax import datamap


@register(deploy=True)
def geoip_database_check(app_configs, **kwargs) -> list:
    """A deploy check only: in development `make run` says it once, in plain words."""
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


@register()
def retention_windows_check(app_configs, **kwargs) -> list:
    """Every window a policy reads is a usable one, and no window setting is left unread."""
    problems: list = []
    for policy in datamap.policies():
        try:
            policy.window  # noqa: B018 - reading it validates it
        except ImproperlyConfigured as exc:
            problems.append(Error(str(exc), id="jobtrax.E010"))
    declared = {policy.setting for policy in datamap.policies()}
    for name in dir(settings):
        if name.startswith("RETENTION_") and name.endswith("_DAYS") and name not in declared:
            problems.append(
                Warning(
                    f"{name} is set, but no retention policy reads it.",
                    hint="Check its spelling against `manage.py retention`.",
                    id="jobtrax.W010",
                )
            )
    return problems
