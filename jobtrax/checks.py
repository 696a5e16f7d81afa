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


# The default contact address of settings.py: it reaches nobody, so a deployment that keeps it
# publishes a privacy notice whose requests go nowhere.
DEFAULT_PRIVACY_EMAIL = "privacy@jobtrax.example"


@register(deploy=True)
def privacy_email_check(app_configs, **kwargs) -> list:
    """The notice tells people to write to JOBTRAX_PRIVACY_EMAIL: it must be a real address."""
    address = (settings.JOBTRAX_PRIVACY_EMAIL or "").strip().lower()
    if address and address != DEFAULT_PRIVACY_EMAIL:
        return []
    return [
        Error(
            "JOBTRAX_PRIVACY_EMAIL is still the default address, which reaches nobody: requests "
            "sent to the address in the privacy notice would be lost.",
            hint="Set JOBTRAX_PRIVACY_EMAIL to the mailbox that handles privacy requests.",
            id="jobtrax.E020",
        )
    ]


# The notice (section 8) and the signup form promise no users under 18: no setting goes lower.
MINIMUM_AGE_FLOOR = 18


@register()
def minimum_age_check(app_configs, **kwargs) -> list:
    if settings.JOBTRAX_MINIMUM_AGE >= MINIMUM_AGE_FLOOR:
        return []
    return [
        Error(
            f"JOBTRAX_MINIMUM_AGE is {settings.JOBTRAX_MINIMUM_AGE}: the privacy notice promises "
            f"no users under {MINIMUM_AGE_FLOOR}.",
            id="jobtrax.E022",
        )
    ]


@register(deploy=True)
def ai_training_opt_out_check(app_configs, **kwargs) -> list:
    """The assistant is on only once the operator confirms the provider account's settings."""
    if not settings.AI_API_URL or settings.AI_TRAINING_OPT_OUT_CONFIRMED:
        return []
    return [
        Error(
            "AI_API_URL is set, but AI_TRAINING_OPT_OUT_CONFIRMED is not: the privacy notice "
            "says our AI provider accounts opt out of model training where possible.",
            hint="Turn off training on data in the provider account (or check its terms say "
            "API data is not used for training), then set AI_TRAINING_OPT_OUT_CONFIRMED=true.",
            id="jobtrax.E021",
        )
    ]


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
