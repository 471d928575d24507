"""The permission matrix of people: residents and pioneers, pages and API, for every role
(core/testing/matrix.py)."""

from genxi.core.testing.matrix import (
    IN,
    OUT,
    ROLES,
    STAFF_SIGHT,
    STREET_A,
    ListMatrix,
    ViewMatrix,
)

# Residents need `view_residents`: the street, community and grid staff, not the system
# admin, a department officer or a liaison (docs/security.md).
RESIDENT_SIGHT = {"street": STREET_A, "outsider": {OUT}, "community": {IN}, "grid": {IN}}
NO_RESIDENTS = frozenset(ROLES) - set(RESIDENT_SIGHT) - {"anonymous"}


class TestResidents(ViewMatrix, ListMatrix):
    page_detail, page_list = "people:resident", "people:residents"
    api_detail, api_list = "/api/v1/residents/{pk}", "/api/v1/residents"
    sees = RESIDENT_SIGHT
    list_hidden = NO_RESIDENTS

    def make(self, ctx):
        return ctx.world.resident(ctx.grid, f"居民{ctx.side}{ctx.role}")


class TestResidentsOfAnotherGrid(ViewMatrix, ListMatrix):
    """A resident of the grid worker's community but of another grid is out of its sight."""

    page_detail, page_list = "people:resident", "people:residents"
    api_detail, api_list = "/api/v1/residents/{pk}", "/api/v1/residents"
    sees = RESIDENT_SIGHT | {"grid": set()}
    list_hidden = NO_RESIDENTS

    def make(self, ctx):
        grid = ctx.world.grid_a1b if ctx.inside else ctx.grid
        return ctx.world.resident(grid, f"邻格居民{ctx.side}{ctx.role}")


class TestPioneers(ViewMatrix, ListMatrix):
    page_detail, page_list = "people:pioneer", "people:pioneers"
    api_detail, api_list = "/api/v1/pioneers/{pk}", "/api/v1/pioneers"
    sees = STAFF_SIGHT

    def make(self, ctx):
        code = f"P-{ctx.side}-{ctx.role}"
        return ctx.world.pioneer(ctx.grid, code, f"先锋{ctx.side}{ctx.role}")
