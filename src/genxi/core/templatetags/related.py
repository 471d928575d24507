"""`{% related_links obj %}`: the links upper apps registered for obj (core/related.py)."""

from typing import Any

from django import template

from genxi.core.related import links_for

register = template.Library()


@register.inclusion_tag("core/_related_links.html", takes_context=True)
def related_links(context: Any, obj: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"related": links_for(user, obj) if user is not None else []}
