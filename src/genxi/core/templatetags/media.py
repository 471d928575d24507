from django import template

from genxi.core.media import photo_url as _photo_url

register = template.Library()


@register.filter
def photo_url(photo, variant: str = "full") -> str:
    """{{ p|photo_url }} / {{ p|photo_url:"thumb" }}: the scoped URL of a photo."""
    return _photo_url(photo, variant)
