"""{{ x|category_name }}: a category as a person reads it — its name under its parent's
("市容环境 · 垃圾清运"), in the page's language — never its code (issue #10)."""

from django import template

from ..models import Category
from ..selectors import categories_by_code

register = template.Library()


@register.filter
def category_name(value) -> str:
    """A `Category`, or a code (a router's suggestion), named; "—" for none or an unknown code."""
    if isinstance(value, Category):
        return value.full_label
    found = categories_by_code().get(str(value)) if value else None
    return found.full_label if found is not None else "—"
