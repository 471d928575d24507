from django import template

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
