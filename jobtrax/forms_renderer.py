"""Django's form renderer, with the common widgets written out in Python.

A form renders every widget through a template, and a select through one more template per
option: the job form's currency list alone is some 180 template renders. The inputs, text
areas and selects below produce exactly what Django's own templates do (tests compare the two
over every form of the project); any other widget, and any option of another kind, goes
through the templates as before.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

WIDGETS = "django/forms/widgets/"
# Templates that are `{% include "django/forms/widgets/input.html" %}` and nothing else.
INPUTS = {
    f"{WIDGETS}{name}.html"
    for name in (
        "input", "text", "email", "url", "number", "password", "hidden", "date", "datetime",
        "time", "checkbox", "search", "tel", "color", "file",
    )
}  # fmt: skip
SELECT = f"{WIDGETS}select.html"
OPTION = f"{WIDGETS}select_option.html"
TEXTAREA = f"{WIDGETS}textarea.html"


def _format(value) -> str:
    """`{{ value|stringformat:'s' }}`: formatted, then escaped unless it was safe."""
    text = str(value) if isinstance(value, tuple) else "%s" % value  # noqa: UP031
    return conditional_escape(mark_safe(text) if isinstance(value, SafeData) else text)  # noqa: S308


def _attrs(attrs: dict) -> str:
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {conditional_escape(name)}")
        else:
            out.append(f' {conditional_escape(name)}="{_format(value)}"')
    return "".join(out)


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{_format(value)}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
    )


def _option(option: dict) -> str:
    return (
        f'<option value="{_format(option["value"])}"{_attrs(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>\n"
    )


class FastRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None:
            if template_name in INPUTS:
                return mark_safe(_input(widget))  # noqa: S308 - every value escaped above
            if template_name == TEXTAREA:
                body = conditional_escape(widget["value"]) if widget["value"] else ""
                return mark_safe(  # noqa: S308
                    f'<textarea name="{conditional_escape(widget["name"])}"'
                    f"{_attrs(widget['attrs'])}>\n{body}</textarea>"
                )
            if template_name == SELECT:
                return mark_safe(self._select(widget, context, request))  # noqa: S308
        return super().render(template_name, context, request=request)

    def _select(self, widget: dict, context: dict, request) -> str:
        out = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in group_choices:
                if option.get("template_name") == OPTION:
                    out.append(f"\n  {_option(option)}")
                else:  # another kind of option: its own template, as `{% include %}` would
                    template = self.get_template(option["template_name"])
                    out.append("\n  " + template.render({**context, "widget": option}, request))
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return "".join(out)
