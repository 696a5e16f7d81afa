"""The staff console's admin site.

Every ModelAdmin registered on it, ours and third-party ones alike, is wrapped so that:
- the admin's change history (`LogEntry`) holds model names, ids and field names only: never a
  value, and never the `str()` of an object, which may hold an email address;
- IP addresses are shown truncated to everyone but superusers, and lists mask email addresses.
"""

import json
import re

from django import forms
from django.contrib import admin
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.admin.options import get_content_type_for_model
from django.core.exceptions import FieldDoesNotExist, FieldError, ValidationError
from django.db import DataError, models
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html

from jobtrax.net import truncate_ip

# As in django.contrib.admin.helpers, which cannot be imported while the site is being built.
ACTION_CHECKBOX_NAME = "_selected_action"


def _repr(obj) -> str:
    return f"{obj._meta.verbose_name} #{obj.pk}"[:200]


def _fields_only(form, formsets, add: bool) -> list[dict]:
    """Like Django's construct_change_message, with ids where Django writes str(obj)."""
    changed = [] if add else list(form.changed_data)
    message: list[dict] = []
    if add:
        message.append({"added": {}})
    elif changed:
        message.append({"changed": {"fields": changed}})
    for formset in formsets or ():
        for added in formset.new_objects:
            message.append({"added": {"name": str(added._meta.verbose_name), "object": _id(added)}})
        for obj, fields in formset.changed_objects:
            message.append(
                {
                    "changed": {
                        "name": str(obj._meta.verbose_name),
                        "object": _id(obj),
                        "fields": list(fields),
                    }
                }
            )
        for deleted in formset.deleted_objects:
            message.append(
                {"deleted": {"name": str(deleted._meta.verbose_name), "object": _id(deleted)}}
            )
    return message


def _id(obj) -> str:
    return f"#{obj.pk}"


class PrivateLogMixin:
    """Admin change history with field names and ids only."""

    def construct_change_message(self, request, form, formsets, add=False):
        return _fields_only(form, formsets, add)

    def _log(self, request, objects, action_flag: int, message="") -> list[LogEntry]:
        entries = [
            LogEntry(
                user_id=request.user.pk,
                content_type_id=get_content_type_for_model(obj).pk,
                object_id=str(obj.pk),
                object_repr=_repr(obj),
                action_flag=action_flag,
                change_message=_scrub(message) if isinstance(message, str) else _json(message),
            )
            for obj in objects
        ]
        return LogEntry.objects.bulk_create(entries)

    def log_addition(self, request, obj, message):
        return self._log(request, [obj], ADDITION, message)[0]

    def log_change(self, request, obj, message):
        return self._log(request, [obj], CHANGE, message)[0]

    def log_deletions(self, request, queryset):
        return self._log(request, list(queryset), DELETION)


def _json(message) -> str:
    return json.dumps(message)


# Free-text messages from admin actions: no email address or IP address survives.
# Starts only where a run of address characters starts: linear on a long run with no "@".
_EMAIL = re.compile(r"(?<![^\s@])[^\s@]+@[^\s@]+")
_IP = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b|\b(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}\b", re.I)


def _scrub(message: str) -> str:
    return _IP.sub("[ip]", _EMAIL.sub("[email]", message))[:500]


def mask_email(email: str) -> str:
    """`jane@example.com` -> `j***@example.com`: enough to tell rows apart, not to read them."""
    local, sep, domain = (email or "").partition("@")
    if not sep:
        return "***" if email else ""
    return f"{local[:1]}***@{domain}"


class TruncatedIPMixin:
    """Everyone but superusers sees IP addresses truncated (/24, /48), in lists and details.

    Every GenericIPAddressField is swapped for a read-only `masked_<field>` display, and is
    not searchable, so an address cannot be probed for either. Lists, which never need a full
    address, show every EmailField masked, to everyone.
    """

    def _fields_of(self, kind) -> set[str]:
        return {f.name for f in self.model._meta.fields if isinstance(f, kind)}

    def _ip_fields(self) -> set[str]:
        return self._fields_of(models.GenericIPAddressField)

    def _masks(self, request) -> bool:
        return not request.user.is_superuser and bool(self._ip_fields())

    def _swap(self, names, fields: set[str] | None = None):
        fields = self._ip_fields() if fields is None else fields
        swapped = []
        for name in names:
            if isinstance(name, (list, tuple)):
                swapped.append(tuple(self._swap(name, fields)))
            else:
                masked = isinstance(name, str) and name in fields
                swapped.append(f"masked_{name}" if masked else name)
        return swapped

    def __getattr__(self, name: str):
        if not name.startswith("masked_") or "model" not in self.__dict__:
            raise AttributeError(name)
        field = name[7:]
        if field in self._ip_fields():

            def display(obj) -> str:
                return truncate_ip(getattr(obj, field)) or ""

            display.short_description = f"{field.replace('_', ' ')} (truncated)"
            return display
        if field in self._fields_of(models.EmailField):

            def display(obj) -> str:
                return mask_email(getattr(obj, field))

            display.short_description = self.model._meta.get_field(field).verbose_name
            display.admin_order_field = field
            return display
        raise AttributeError(name)

    def action_checkbox(self, obj):
        # Django labels the checkbox with str(obj), which may be an email address.
        attrs = {
            "class": "action-select",
            "aria-label": format_html("Select this object for an action - {}", _repr(obj)),
        }
        checkbox = forms.CheckboxInput(attrs, lambda value: False)
        return checkbox.render(ACTION_CHECKBOX_NAME, str(obj.pk))

    def get_list_display(self, request):
        names = self._swap(super().get_list_display(request), self._fields_of(models.EmailField))
        return self._swap(names) if self._masks(request) else names

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._masks(request):
            return fieldsets
        return [(name, {**opts, "fields": self._swap(opts["fields"])}) for name, opts in fieldsets]

    def get_readonly_fields(self, request, obj=None):
        names = super().get_readonly_fields(request, obj)
        if not self._masks(request):
            return names
        return [*self._swap(names), *(f"masked_{f}" for f in sorted(self._ip_fields()))]

    def get_search_fields(self, request):
        names = super().get_search_fields(request)
        if not self._masks(request):
            return names
        return [n for n in names if n.lstrip("^=@") not in self._ip_fields()]


class ListFilterGuardMixin:
    """A list filtered on a value its field can never hold is a clear 400.

    Not an empty list that looks like "no such rows", and never a database error (PostgreSQL
    refuses a NUL byte in any text value).
    """

    def _impossible_filter(self, request) -> bool:
        for key, values in request.GET.lists():
            if any("\x00" in value for value in (key, *values)):
                return True
            if _impossible_date_part(key, values):
                return True
            name, _, lookup = key.partition("__")
            if lookup not in ("", "exact", "in"):
                continue
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if not getattr(field, "choices", None):
                continue
            allowed = {str(choice) for choice, _label in field.flatchoices}
            for value in values:
                wanted = value.split(",") if lookup == "in" else [value]
                if not set(wanted) <= allowed:
                    return True
        return False

    def changelist_view(self, request, extra_context=None):
        if self._impossible_filter(request):
            return render(request, "errors/400.html", status=400)
        response = super().changelist_view(request, extra_context)
        if isinstance(response, TemplateResponse) and not response.is_rendered:
            # The list's query runs while the page renders: a filter the database or Python's
            # dates refuse (a year out of range, a lookup on the wrong type) surfaces here.
            try:
                response.render()
            except _BAD_FILTER_ERRORS:
                return render(request, "errors/400.html", status=400)
        return response


# What a lookup taken from the query string may raise once the list's query runs.
_BAD_FILTER_ERRORS = (ValueError, OverflowError, ValidationError, FieldError, DataError)
# Date parts a query-string lookup may name, and the values each can hold.
_DATE_PARTS = {
    "year": (1, 9999),
    "iso_year": (1, 9999),
    "month": (1, 12),
    "day": (1, 31),
    "week": (1, 53),
    "week_day": (1, 7),
    "iso_week_day": (1, 7),
    "quarter": (1, 4),
    "hour": (0, 23),
    "minute": (0, 59),
    "second": (0, 59),
}
_COMPARISONS = {"", "exact", "gt", "gte", "lt", "lte", "in", "range"}


def _impossible_date_part(key: str, values: list[str]) -> bool:
    """`created_at__year=-1`, `__month=13`, `__day=0`: a date part no date has."""
    parts = key.split("__")
    for index, part in enumerate(parts[1:], start=1):
        bounds = _DATE_PARTS.get(part)
        if bounds is None:
            continue
        rest = parts[index + 1 :]
        if len(rest) > 1 or (rest and rest[0] not in _COMPARISONS):
            return True
        several = rest and rest[0] in ("in", "range")
        for value in values:
            for item in value.split(",") if several else [value]:
                item = item.strip()
                if not item.lstrip("-").isdigit() or len(item) > 6:
                    return True
                if not bounds[0] <= int(item) <= bounds[1]:
                    return True
    return False


class StaffAdminSite(admin.AdminSite):
    site_header = "JobTrax staff console"
    site_title = "JobTrax staff"
    index_title = "Staff console"

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        # Each guard is added to every admin that lacks it: the change history, the IP and
        # address masks, and the list-filter guard are how every changelist works here.
        missing = tuple(
            mixin
            for mixin in (PrivateLogMixin, TruncatedIPMixin, ListFilterGuardMixin)
            if not issubclass(admin_class, mixin)
        )
        if missing:
            admin_class = type(
                admin_class.__name__,
                (*missing, admin_class),
                {"__module__": admin_class.__module__},
            )
        return super().register(model_or_iterable, admin_class, **options)

    def get_urls(self):
        from accounts import dashboards

        return [
            path(
                "dashboards/<slug:slug>/",
                self.admin_view(dashboards.dashboard_view),
                name="dashboard",
            ),
            *super().get_urls(),
        ]

    def index(self, request, extra_context=None):
        from accounts import dashboards

        extra_context = {
            **(extra_context or {}),
            "dashboards": dashboards.dashboards_for(request.user),
        }
        return super().index(request, extra_context)
