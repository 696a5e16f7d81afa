"""Django's `{% load static %}`, with the address of a literal file remembered per process.

Every page's head names the same few files; asking the storage for each address (the manifest
lookup in production) costs more than the rest of the head. A `{% static "css/site.css" %}`
always gives the same address for the same settings, so it is kept until a setting changes.
Anything with a variable, a filter or `as var` is Django's own tag unchanged. Installed as a
template builtin (settings.TEMPLATES): the templates every page renders (base.html and what it
includes) use it without `{% load static %}`, which would load Django's own tag instead.
"""

from typing import Any

from django import template
from django.core.signals import setting_changed
from django.templatetags import static as django_static
from django.templatetags.static import StaticNode
from django.utils.html import conditional_escape

register = template.Library()
register.tags.update(django_static.register.tags)
register.filters.update(django_static.register.filters)

_addresses: dict[str, str] = {}


class MemoStaticNode(StaticNode):
    def render(self, context: template.Context) -> str:
        path = self.path.var
        address = _addresses.get(path)
        if address is None:
            address = _addresses[path] = self.handle_simple(path)
        return conditional_escape(address) if context.autoescape else address


@register.tag
def static(parser: Any, token: Any) -> StaticNode:
    node = StaticNode.handle_token(parser, token)
    literal = isinstance(node.path.var, str) and not node.path.filters
    if node.varname is None and literal:
        return MemoStaticNode(path=node.path)
    return node


def _forget(**kwargs: Any) -> None:
    _addresses.clear()


setting_changed.connect(_forget, dispatch_uid="jobtrax.templatetags.memo_static")
