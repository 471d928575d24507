from django import template

register = template.Library()


@register.filter
def masked(obj, field: str) -> str:
    """{{ resident|masked:"phone" }}: the masked value of a personal-data field."""
    return obj.masked(field)
