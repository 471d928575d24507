"""The readable routes of the early warnings (core/testing/page_matrix.py): the list with its
map, a warning's page, the focus problems and one of them."""

from datetime import date

from django.urls import reverse

from genxi.alerts.models import FocusProblem
from genxi.core.testing.page_matrix import Page

from .helpers import category, warning

READERS = ("system_admin", "street", "community", "department", "outsider")
ITEM_READERS = ("system_admin", "street", "community", "department")
FOCUS_READERS = ("system_admin", "street", "department")
POST_ONLY = {"*": 405}


def seed(side):
    w = warning(
        staff=side.staff, community=side.community, grid=side.grid, tag=side.tag, point=side.point
    )
    focus = FocusProblem.objects.get_or_create(
        street=side.street,
        month=date(2031, 3, 1),
        defaults={"category": category(), "count": 9, "place_key": f"{side.tag}3幢"},
    )[0]
    return {"warning": w, "focus": focus}


PAGES = {
    "alerts:warnings": Page(lambda s: reverse("alerts:warnings"), READERS + ("grid", "unit")),
    "alerts:warning": Page(lambda s: reverse("alerts:warning", args=[s.warning.pk]), ITEM_READERS),
    "alerts:act": Page(lambda s: reverse("alerts:act", args=[s.warning.pk]), answers=POST_ONLY),
    "alerts:dismiss": Page(
        lambda s: reverse("alerts:dismiss", args=[s.warning.pk]), answers=POST_ONLY
    ),
    "alerts:focus_list": Page(lambda s: reverse("alerts:focus_list"), READERS + ("grid", "unit")),
    "alerts:focus": Page(lambda s: reverse("alerts:focus", args=[s.focus.pk]), FOCUS_READERS),
    "alerts:focus_confirm": Page(
        lambda s: reverse("alerts:focus_confirm", args=[s.focus.pk]), answers=POST_ONLY
    ),
}
