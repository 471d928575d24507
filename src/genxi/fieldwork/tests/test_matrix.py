"""The permission matrix of field work's objects (core/testing/matrix.py): households and
visits are seen by whoever sees the grid's residents; a resident's care record only by
the grid's workers and the community's staff — not the street, not the system admin."""

from __future__ import annotations

from genxi.core.testing.matrix import IN, OUT, STREET_A, ListMatrix, ViewMatrix
from genxi.fieldwork import services
from genxi.fieldwork.models import Household

RESIDENT_SIGHT = {
    "street": STREET_A,
    "outsider": frozenset({OUT}),
    "community": frozenset({IN}),
    "grid": frozenset({IN}),
}
NO_RESIDENTS = frozenset(
    {"norole", "security_admin", "auditor", "system_admin", "department", "unit"}
)


def _resident(ctx, tags=()):
    return ctx.world.resident(
        ctx.grid,
        f"居民{ctx.side}{ctx.role}",
        address=f"{ctx.side}{ctx.role}新村5幢1单元101室",
        tags=list(tags),
    )


class TestHouseholds(ViewMatrix, ListMatrix):
    page_detail, page_list = "fieldwork:household", "fieldwork:households"
    label_attr = "label"
    sees = RESIDENT_SIGHT
    list_hidden = NO_RESIDENTS

    def make(self, ctx):
        return Household.objects.get(members__resident=_resident(ctx))


class TestVisits(ViewMatrix):
    page_detail = "fieldwork:visit"
    sees = RESIDENT_SIGHT

    def make(self, ctx):
        household = Household.objects.get(members__resident=_resident(ctx))
        return services.visit_record(actor=ctx.handler, household=household, note="走访")


class TestCareRecords(ViewMatrix):
    """A resident's care page: street A's admin and street B's own admin see the resident
    but not the care record."""

    page_detail = "fieldwork:care_resident"
    sees = {"community": frozenset({IN}), "grid": frozenset({IN})}

    def make(self, ctx):
        resident = _resident(ctx, tags=["elderly_alone"])
        services.care_round_record(actor=ctx.handler, resident=resident, outcome="well")
        return resident
