"""What the board adapters share: reading lists out of responses, API URLs from settings."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.conf import settings

from importer.boards.registry import safe_slug
from importer.extract import values

__all__ = ["api", "label_workplace", "listed", "safe_slug"]


def listed(data: Any, *keys: str) -> list[dict]:
    """The posting objects of a response: under one of `keys`, a top-level list, or the one
    object itself (a single-job endpoint)."""
    if isinstance(data, dict):
        for key in keys:
            inner = data.get(key)
            if isinstance(inner, list):
                return [item for item in inner if isinstance(item, dict)]
            if isinstance(inner, dict):
                return [inner]
        return [data]
    if isinstance(data, list):
        return [item for item in data if isinstance(item, dict)]
    return []


def api(setting: str, path: str = "", **slots: str) -> str:
    """A URL under a configured API base; slots are quoted, so a link cannot steer the host."""
    base = getattr(settings, setting, "").format(**{k: quote(v, safe="") for k, v in slots.items()})
    return base.rstrip("/") + path


def label_workplace(label: str, remote: Any = None, hybrid: Any = None) -> dict:
    """Workplace from structured flags first (remote, hybrid), else from the location label."""
    if hybrid is True:
        return values.workplace_fields("hybrid")
    if remote is True:
        return values.workplace_fields("remote")
    if remote is False:
        return values.workplace_fields("onsite")
    return values.workplace_fields(values.workplace_from_label(label))
