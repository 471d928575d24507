"""The write matrix of the early warnings (core/testing/write_matrix.py): turning a warning
into a proactive case, dismissing it with a reason, and confirming the month's focus
problem — for every role, inside street A and in street B."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from genxi.alerts.models import EarlyWarning, FocusProblem
from genxi.cases.models import Case
from genxi.core.testing.matrix import ActMatrix
from genxi.core.testing.write_matrix import Ctx, Write, assert_declared, fields, no, ok

from .helpers import category, warning

REFUSED = no(403)
# The staff over the community act; the others who see it (the system admin, the department
# officer) may not.
STAFF = {"street": ok(302), "community": ok(302), "system_admin": REFUSED, "department": REFUSED}


def _warning(ctx: Ctx) -> EarlyWarning:
    return warning(
        staff=ctx.staff,
        community=ctx.community,
        grid=ctx.grid,
        tag=f"{ctx.side}{ctx.role}",
        point=ctx.point,
    )


def _focus(ctx: Ctx) -> FocusProblem:
    return FocusProblem.objects.create(
        street=ctx.street,
        month=date(2031, {"in": 3, "near": 4, "out": 5}[ctx.side], 1),
        category=category(),
        count=9,
        candidates=[{"category": category().code, "count": 9, "place": "", "place_count": 0}],
    )


WRITES = [
    Write(
        "warning.act",
        route="alerts:act",
        make=_warning,
        url=lambda ctx: reverse("alerts:act", args=[ctx.target.pk]),
        data=lambda ctx: {"text": ""},
        watch=fields("state", "case_id", also=lambda ctx: Case.objects.count()),
        inside=STAFF,
    ),
    Write(
        "warning.dismiss",
        route="alerts:dismiss",
        make=_warning,
        url=lambda ctx: reverse("alerts:dismiss", args=[ctx.target.pk]),
        data=lambda ctx: {"reason": "物业已整改"},
        watch=fields("state", "reason"),
        inside=STAFF,
    ),
    Write(
        "focus.confirm",
        route="alerts:focus_confirm",
        make=_focus,
        url=lambda ctx: reverse("alerts:focus_confirm", args=[ctx.target.pk]),
        data=lambda ctx: {"choice": "0", "note": "本月重点"},
        watch=fields("state"),
        inside={"street": ok(302), "system_admin": REFUSED, "department": REFUSED},
    ),
]


class TestWrites(ActMatrix):
    writes = WRITES


def test_every_write_is_declared():
    assert_declared("genxi.alerts", WRITES)
