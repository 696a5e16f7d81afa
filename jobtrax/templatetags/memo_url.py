"""Django's `{% url %}`, with the address of a constant route remembered per process.

Every page's header and footer reverse the same dozen routes; reversing costs more than the
rest of the header. A `{% url %}` whose name and arguments are all literals always gives the
same address for the same URLconf, script prefix and current namespace, so the address is
kept under those. Anything with a variable, or `as var`, is Django's own tag unchanged.
Installed as a template builtin (settings.TEMPLATES), so it replaces `url` in every template.
"""

from typing import Any

from django import template
from django.core.signals import setting_changed
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import conditional_escape

register = template.Library()

_addresses: dict[tuple, str] = {}


def _literal(expression: Any) -> str | None:
    return expression.var if isinstance(expression.var, str) and not expression.filters else None


class MemoURLNode(URLNode):
    def __init__(self, node: URLNode) -> None:
        super().__init__(node.view_name, node.args, node.kwargs, node.asvar)
        parts = [self.view_name, *self.args, *self.kwargs.values()]
        literals = [_literal(part) for part in parts]
        self.key = None
        if self.asvar is None and all(value is not None for value in literals):
            self.key = (*literals, *self.kwargs)

    def render(self, context: template.Context) -> str:
        if self.key is None:
            return super().render(context)
        request = getattr(context, "request", None)
        current_app = getattr(request, "current_app", None)
        if current_app is None:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        key = (self.key, current_app, get_urlconf(), get_script_prefix())
        address = _addresses.get(key)
        if address is None:
            address = _addresses[key] = self._reverse(context)
        return conditional_escape(address) if context.autoescape else address

    def _reverse(self, context: template.Context) -> str:
        autoescape = context.autoescape
        context.autoescape = False
        try:
            return super().render(context)
        finally:
            context.autoescape = autoescape


@register.tag
def url(parser: Any, token: Any) -> URLNode:
    return MemoURLNode(django_url(parser, token))


def _forget(**kwargs: Any) -> None:
    _addresses.clear()


setting_changed.connect(_forget, dispatch_uid="jobtrax.templatetags.memo_url")
