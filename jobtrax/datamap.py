"""The personal-data map: what each app declares about the data it holds on people.

Each app says, in its own `personal_data.py` (imported from its AppConfig.ready()):
- its kinds of personal data (`register_kinds`): model, purpose, legal basis, recipients,
  retention and what erasure does with the rows;
- its retention policies (`register_policies`): window setting and its one default, action,
  target rows and beat schedule;
- its erase step (`erase_step`), when erasing an account needs more than deleting or detaching
  rows.

The engines (export, erasure, the "Your data" page, the retention runner and its schedule, the
notice's placeholders, the staff dashboards) read these declarations through `kinds()`,
`policies()`, `policy(name)` and `erase_steps()`. This module imports none of the apps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from celery.schedules import crontab
from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models

# Recipients (notice section 4).
HOSTING = "Hosting provider (servers and databases)"
EMAIL = "Email delivery provider"
MONITORING = "Error tracking and performance monitoring (personal data scrubbed)"

# Legal bases (notice section 3).
CONTRACT = "Performance of a contract"
LEGITIMATE = "Legitimate interests (security, fraud prevention, troubleshooting)"
CONSENT = "Consent"
LEGAL = "Legal obligation"

# Categories of personal information under the CCPA (notice section 10).
IDENTIFIERS = "Identifiers"
NETWORK_ACTIVITY = "Internet or other electronic network activity"
GEOLOCATION = "Geolocation data"
PROFESSIONAL = "Professional or employment-related information"
COMMERCIAL = "Commercial information"
INFERENCES = "Inferences"

# What the erasure does with rows of a kind.
DELETE = "delete"  # the rows go
DETACH = "detach"  # the rows stay for their retention window, cut from the account and reduced
BY_STEP = "by_step"  # the owning app's erase step (see `erase_step`) handles them
ACCOUNT = "account"  # the user row itself, deleted last

# What a retention policy does, as said in the notice and the staff console.
ANONYMISE = "anonymise"

# What a retention target does with the rows due.
DELETE_ROWS = "delete"  # delete them in batches
ANONYMISE_ROWS = "anonymise"  # update them in batches with the target's `values`
EACH_ROW = "each"  # hand each row's id to the target's `handle`
# What lives outside the database (files a stopped job left): the target's `sweep` finds it.
SWEEP_FILES = "files"


@dataclass(frozen=True)
class Kind:
    name: str
    model: str  # "app_label.ModelName"
    title: str
    purpose: str
    legal_basis: str
    retention: str  # a retention policy name, or plain words
    source: str
    ccpa_category: str = IDENTIFIERS
    # Further CCPA categories the kind's fields fall under (an account's country and region are
    # geolocation data as well as an account): section 10 lists the kind under each.
    ccpa_also: tuple[str, ...] = ()
    user_fields: tuple[str, ...] = ("user",)
    # Exported fields; None exports every concrete field except the user links and `exclude`.
    fields: tuple[str, ...] | None = None
    exclude: tuple[str, ...] = ()
    recipients: tuple[str, ...] = (HOSTING,)
    erase: str = DELETE
    # Fields reduced when rows are detached: "ip" truncates the address, "blank" empties it,
    # "null" clears it, "true" sets a flag.
    reduce: dict[str, str] = field(default_factory=dict)
    exported: bool = True
    # Why a kind is not exported, said in the README (for example legal holds).
    withheld_because: str = ""
    # Whether a saved or deleted row changes what the person's pages show (jobtrax.pagecache):
    # False for rows written on every request or every few minutes (logs, session records),
    # which those pages read live.
    changes_pages: bool = True

    @property
    def ccpa_categories(self) -> tuple[str, ...]:
        return (self.ccpa_category, *(c for c in self.ccpa_also if c != self.ccpa_category))

    @property
    def retention_policy(self) -> str | None:
        """The policy `retention` names, or None when it is plain words."""
        return self.retention if _is_policy_name(self.retention) else None

    def get_model(self) -> type[models.Model] | None:
        try:
            return apps.get_model(self.model)
        except (LookupError, ValueError):
            return None

    def export_fields(self) -> list[str]:
        model = self.get_model()
        if model is None:
            return []
        if self.fields is not None:
            return [name for name in self.fields if _has_field(model, name)]
        skip = set(self.user_fields) | set(self.exclude)
        return [f.attname for f in model._meta.concrete_fields if f.name not in skip]

    def queryset_for(self, user_id: int, user_field: str | None = None) -> models.QuerySet:
        model = self.get_model()
        assert model is not None  # noqa: S101 - callers skip absent models
        if self.erase == ACCOUNT:
            return model._default_manager.filter(pk=user_id)
        name = user_field or self.user_fields[0]
        return model._default_manager.filter(**{f"{name}_id": user_id})


def _is_policy_name(text: str) -> bool:
    return bool(text) and all(part.isalnum() and part.islower() for part in text.split("_"))


def _has_field(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - FieldDoesNotExist, or an attname
        return any(f.attname == name for f in model._meta.concrete_fields)
    return True


Due = Callable[[type[models.Model], datetime, datetime], models.QuerySet]


@dataclass(frozen=True)
class Target:
    """Rows a retention policy touches: those `due` returns at a cutoff, and what happens."""

    label: str
    model: str  # "app_label.ModelName"; empty for SWEEP_FILES
    action: str  # DELETE_ROWS, ANONYMISE_ROWS, EACH_ROW or SWEEP_FILES
    due: Due | None = None  # every action but SWEEP_FILES
    # ANONYMISE_ROWS: the values set on each row, given the run's time.
    values: Callable[[datetime], dict] | None = None
    # The indexed column batches follow, else the primary key.
    order: str = "pk"
    # EACH_ROW: handle(pk, policy=..., now=...) returns whether it did something.
    handle: Callable[..., bool] | None = None
    # EACH_ROW: whether what `handle` did counts as a deleted row, else the run's note says
    # `done_note` with the count (for example "{done} warning emails sent").
    counts_as_deleted: bool = True
    done_note: str = ""
    # SWEEP_FILES: sweep(cutoff=..., execute=...) counts what is older than the cutoff and,
    # with `execute`, removes it; returns the count.
    sweep: Callable[..., int] | None = None

    def model_class(self) -> type[models.Model] | None:
        try:
            return apps.get_model(self.model)
        except (LookupError, ValueError):
            return None

    def queryset(self, cutoff: datetime, now: datetime) -> models.QuerySet | None:
        """The rows due, or None when the model is missing or lacks the fields used."""
        model = self.model_class()
        if model is None or self.due is None:
            return None
        try:
            queryset = self.due(model, cutoff, now)
            str(queryset.query)  # resolves every field name now, not in the middle of a run
        except FieldError:
            return None
        return queryset


def older(field_name: str) -> Due:
    """The rows whose `field_name` is before the cutoff."""
    return lambda model, cutoff, now: model._base_manager.filter(**{f"{field_name}__lt": cutoff})


@dataclass(frozen=True)
class Policy:
    name: str
    covers: str  # what it covers, in the staff console's words
    action: str  # DELETE or ANONYMISE
    setting: str  # the setting that overrides the window, RETENTION_..._DAYS
    default_days: int  # the window's one default
    # Which figure of the notice this window backs: "account", "logs" or "supporting".
    notice_group: str
    targets: tuple[Target, ...]
    schedule: crontab
    # When it runs, in words, for the beat schedule's readers ("daily at 03:00 UTC").
    schedule_note: str = ""
    # The shortest window the setting may ask for.
    minimum_days: int = 1

    @property
    def window(self) -> timedelta:
        days = int(getattr(settings, self.setting, self.default_days))
        if days < self.minimum_days:
            raise ImproperlyConfigured(
                f"{self.setting} must be at least {self.minimum_days} days, not {days}"
            )
        return timedelta(days=days)

    @property
    def window_display(self) -> str:
        return humanize_window(self.window)

    @property
    def batch_size(self) -> int:
        return int(settings.RETENTION_BATCH_SIZE)

    @property
    def beat_name(self) -> str:
        return "retention-" + self.name.replace("_", "-")


@dataclass(frozen=True)
class EraseStep:
    name: str
    func: Callable[..., object]  # func(user_id=...)
    order: int


def humanize_window(window: timedelta) -> str:
    days = window.days
    if days >= 365 and days % 365 == 0:
        return f"{days // 365 * 12} months"
    if days == 1:
        return "1 day"
    return f"{days} days"


_kinds: dict[str, Kind] = {}
_policies: dict[str, Policy] = {}
_erase_steps: dict[str, EraseStep] = {}


def _add(registry: dict, name: str, item: object, what: str) -> None:
    existing = registry.get(name)
    if existing is not None and existing != item:
        raise ImproperlyConfigured(f"two {what} are declared as {name!r}")
    registry[name] = item


def register_kinds(*declared: Kind) -> None:
    from jobtrax import pagecache

    for kind in declared:
        _add(_kinds, kind.name, kind, "kinds of personal data")
        if kind.changes_pages:
            pagecache.watch(kind.model, kind.user_fields)


def register_policies(*declared: Policy) -> None:
    for item in declared:
        _add(_policies, item.name, item, "retention policies")


def erase_step(name: str, func: Callable[..., object], *, order: int = 100) -> None:
    """Run `func(user_id=...)` when an account is erased, before the account row goes.

    Steps run by ascending `order`, after the rows of kinds that erase by DELETE or DETACH.
    """
    _add(_erase_steps, name, EraseStep(name, func, order), "erase steps")


def kinds() -> list[Kind]:
    """Every declared kind, in the order the apps declared them."""
    return list(_kinds.values())


def policies() -> list[Policy]:
    """Every declared retention policy, in the order the apps declared them."""
    return list(_policies.values())


def policy(name: str) -> Policy:
    try:
        return _policies[name]
    except KeyError:
        known = ", ".join(_policies) or "none"
        raise KeyError(f"unknown retention policy {name!r} (known: {known})") from None


def erase_steps() -> list[EraseStep]:
    return sorted(_erase_steps.values(), key=lambda step: step.order)
