"""Panels an app adds to another app's page without that page naming it.

A lower app's page (the profile, "Your data") leaves a slot: `{% load panels %}{% panels
"profile" %}`. A higher app fills it from its own code: `register_panel("profile", "jobs",
render)`, where `render(context, **kwargs)` returns the panel's HTML. The lower app never loads
the higher one's template tags, and the layers stay one way (tests/test_architecture.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Render = Callable[..., str]

_PANELS: dict[str, dict[str, Render]] = {}


def register_panel(slot: str, name: str, render: Render) -> None:
    """Fill `slot` with the panel `name` (an app's label; a later call replaces it)."""
    _PANELS.setdefault(slot, {})[name] = render


def panels(slot: str) -> list[tuple[str, Render]]:
    """The panels of `slot`, in the order they were registered."""
    return list(_PANELS.get(slot, {}).items())


def render_panels(slot: str, context: Any, **kwargs: Any) -> str:
    return "".join(render(context, **kwargs) for _name, render in panels(slot))
