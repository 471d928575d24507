from django import template
from django.conf import settings
from django.utils.html import json_script

from genxi.core import navigation, related
from genxi.core.pii import mask_free_text
from genxi.core.roles import Perm

register = template.Library()


@register.filter
def masked(obj, field: str) -> str:
    """{{ resident|masked:"phone" }}: the masked value of a personal-data field."""
    return obj.masked(field)


@register.filter
def pii_text(value, scope=None) -> str:
    """{{ case.text|pii_text:user_scope }}: free text with phone, ID and card numbers masked,
    unless `scope` holds the reveal permission. Without a scope (public pages): always."""
    if scope is not None and scope.has(Perm.REVEAL_PII):
        return value or ""
    return mask_free_text(value)


@register.filter
def menu_allows(scope, url_name: str) -> bool:
    """{% if user_scope|menu_allows:"fieldwork:care" %}: an app's tabs show a page only to
    those the menu offers it to (core/navigation.py, `allows`)."""
    return scope is not None and navigation.allows(scope, url_name)


@register.simple_tag
def map_config():
    """{% map_config %}: the tile source for static/genxi/map.js, as a JSON script element
    (#map-config): the tile layers, their datum, and the flag that draws the offline base
    layer when there are no tiles. The one place templates learn it (docs/maps.md)."""
    tiles = settings.GENXI_MAP_TILES
    config = {"kind": tiles["kind"], "datum": tiles["datum"], "layers": tiles["layers"]}
    return json_script(config, "map-config")


@register.inclusion_tag("includes/related.html", takes_context=True)
def related_links(context, obj):
    """{% related_links case %}: what upper apps keep about `obj` that the viewer may open
    (core/related.py), as a list headed 关联; nothing when there is none."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"links": related.links_for(user, obj) if user is not None else []}
