from django import template

from privacy.services import MaterialChange, notice_banner_for

register = template.Library()


@register.simple_tag(takes_context=True)
def notice_banner(context) -> MaterialChange | None:
    request = context.get("request")
    return notice_banner_for(request=request) if request is not None else None
