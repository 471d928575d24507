"""The permission matrix of cadre data, with the organisation office's two roles added to
the world's (`conftest.py`): `OfficeRows` gives every mixin's parametrisation the rows of
`org_office` (street A's office) and `org_office_b` (street B's)."""

from datetime import date

import pytest

from genxi.cadres import services
from genxi.core.testing.matrix import IN, NEAR, OUT, SIDES, Matrix

from .conftest import OFFICE_ROLES

# The office of street A sees both of its communities; street B's office its own.
OFFICE_SIGHT = {"org_office": frozenset({IN, NEAR}), "org_office_b": frozenset({OUT})}


def office_of(ctx):
    return ctx.world.objs["offices"][ctx.street.pk]


def make_cadre(ctx, user=None, name=None):
    return services.cadre_create(
        actor=office_of(ctx),
        unit=ctx.community,
        name=name or f"干部{ctx.side}{ctx.role}",
        gender="male",
        birth_year=1990,
        phone="13955556666",
        post="社区副书记",
        starts=date(2024, 1, 1),
        user=user,
    )


class OfficeRows(Matrix):
    """Adds the office roles' rows to the mixins' rows."""

    def sides_seen(self, role):
        if role in OFFICE_ROLES:
            return frozenset(self.sees.get(role, ()))
        known = {r: s for r, s in self.sees.items() if r not in OFFICE_ROLES}
        saved, self.sees = self.sees, known
        try:
            return super().sides_seen(role)
        finally:
            self.sees = saved

    def params_test_view(self):
        names, rows = super().params_test_view()
        surfaces = sorted({r.values[0] for r in rows})
        extra = [
            self.row(s, role, side, id=f"{s}-{role}-{side}")
            for s in surfaces
            for role in OFFICE_ROLES
            for side in (*SIDES, "missing")
        ]
        return names, rows + extra

    def params_test_list(self):
        names, rows = super().params_test_list()
        surfaces = sorted({r.values[0] for r in rows})
        extra = [
            self.row(s, role, "*", id=f"{s}-{role}") for s in surfaces for role in OFFICE_ROLES
        ]
        return names, rows + extra

    def _office_write_rows(self, creating):
        rows = []
        for write in self.writes:
            if write.creates != creating:
                continue
            for role in OFFICE_ROLES:
                for side in (IN, OUT):
                    rows.append(pytest.param(write, role, side, id=f"{write.name}-{role}-{side}"))
        return rows

    def params_test_create(self):
        names, rows = super().params_test_create()
        return names, rows + self._office_write_rows(True)

    def params_test_act(self):
        names, rows = super().params_test_act()
        return names, rows + self._office_write_rows(False)
