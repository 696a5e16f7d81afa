"""`{% panels "slot" key=value ... %}`: the panels other apps registered for a slot of this page
(jobtrax.panels)."""

from django import template
from django.utils.safestring import mark_safe

from jobtrax.panels import render_panels

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, slot: str, **kwargs) -> str:
    return mark_safe(render_panels(slot, context, **kwargs))  # noqa: S308 - rendered templates
