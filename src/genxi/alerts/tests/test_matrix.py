"""Who sees a warning and a focus problem (core/testing/matrix.py): the staff over its
community (a street's admin and department officer, the community's workers) and the
system admin; nobody else, not even the grid worker of its grid (warnings are for the
staff who act on them). A focus problem is a street's."""

from datetime import date

from genxi.alerts.models import FocusProblem
from genxi.core.testing.matrix import EVERYWHERE, OUT, STREET_A, ListMatrix, ViewMatrix

from .helpers import category, warning

WARNING_SIGHT = {
    "system_admin": EVERYWHERE,
    "street": STREET_A,
    "department": STREET_A,
    "outsider": frozenset({OUT}),
    "community": frozenset({"in"}),
}
MONTHS = {"in": 3, "near": 4, "out": 5}  # one per street and month
FOCUS_SIGHT = {k: v for k, v in WARNING_SIGHT.items() if k != "community"}


class TestWarnings(ViewMatrix, ListMatrix):
    page_detail, page_list = "alerts:warning", "alerts:warnings"
    label_attr = "place_key"
    sees = WARNING_SIGHT

    def make(self, ctx):
        return warning(
            staff=ctx.staff,
            community=ctx.community,
            grid=ctx.grid,
            tag=f"{ctx.side}{ctx.role}",
            point=ctx.point,
        )


class TestFocus(ViewMatrix, ListMatrix):
    page_detail, page_list = "alerts:focus", "alerts:focus_list"
    label_attr = "month_label"
    sees = FOCUS_SIGHT

    def make(self, ctx):
        return FocusProblem.objects.create(
            street=ctx.street, month=date(2031, MONTHS[ctx.side], 1), category=category(), count=9
        )
