"""The write matrix of field work (core/testing/write_matrix.py): the cycle, the household
rebuild, the plan, a visit and its case, care rules and care rounds — for every role,
inside street A, on its near side and in street B."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from genxi.cases.categories import ensure as ensure_categories
from genxi.cases.models import Category
from genxi.core.testing.matrix import ActMatrix, CreateMatrix
from genxi.core.testing.write_matrix import Ctx, Write, assert_declared, counts, fields, no, ok
from genxi.fieldwork import services
from genxi.fieldwork.models import (
    CareRound,
    CareRule,
    Household,
    HouseholdMember,
    PlanItem,
    Visit,
    VisitCycle,
)
from genxi.people.models import Pioneer

DONE = ok(302)
REFUSED = no(403)
# The staff over a community set its cycle and its care frequencies and regroup households.
STAFF = {"street": DONE, "community": DONE}
# Those who visit (the grid's workers) and the staff over them plan and record visits.
VISITORS = STAFF | {"grid": DONE}
# The system admin and a department officer see the place but do not work it.
ONLOOKERS = {"system_admin": REFUSED, "department": REFUSED}


def _elder(ctx: Ctx):
    return ctx.world.resident(
        ctx.grid,
        f"老人{ctx.side}{ctx.role}",
        address=f"{ctx.side}{ctx.role}新村5幢1单元101室",
        tags=["elderly_alone"],
    )


def _household(ctx: Ctx) -> Household:
    return Household.objects.get(members__resident=_elder(ctx))


def _pioneer(ctx: Ctx, n: int) -> Pioneer:
    return Pioneer.objects.create(
        code=f"P-{ctx.side}-{ctx.role}-{n}",
        name=f"先锋{n}",
        grid=ctx.grid,
        kind="grid_worker",
        phone="13900005678",
    )


def _visit(ctx: Ctx) -> Visit:
    ensure_categories(Category)
    ctx.extra["category"] = Category.objects.get(code="ENV")
    return services.visit_record(
        actor=ctx.handler, household=_household(ctx), note="楼道堆放杂物,影响通行"
    )


def _unhoused(ctx: Ctx):
    resident = _elder(ctx)
    HouseholdMember.objects.filter(resident=resident).delete()
    return ctx.community


def _plannable(ctx: Ctx):
    _household(ctx)
    _pioneer(ctx, 1)
    return ctx.grid


def _plan_item(ctx: Ctx) -> PlanItem:
    _household(ctx)
    _pioneer(ctx, 1)
    ctx.extra["other"] = _pioneer(ctx, 2)
    services.plan_generate(actor=ctx.staff, grid=ctx.grid, month=timezone.localdate())
    item = PlanItem.objects.filter(grid=ctx.grid).latest("pk")
    if item.pioneer == ctx.extra["other"]:
        ctx.extra["other"] = Pioneer.objects.get(code=f"P-{ctx.side}-{ctx.role}-1")
    return item


WRITES = [
    Write(
        "cycle.set",
        route="fieldwork:cycle",
        make=lambda ctx: ctx.community,
        url=lambda ctx: reverse("fieldwork:cycle", args=[ctx.target.code]),
        data=lambda ctx: {"months": "1"},
        watch=counts(VisitCycle),
        inside=STAFF | ONLOOKERS,
    ),
    Write(
        "household.rebuild",
        route="fieldwork:rebuild",
        make=_unhoused,
        url=lambda ctx: reverse("fieldwork:rebuild", args=[ctx.target.code]),
        watch=counts(HouseholdMember),
        inside=STAFF | ONLOOKERS,
    ),
    Write(
        "plan.generate",
        route="fieldwork:plan_generate",
        make=_plannable,
        url=lambda ctx: reverse("fieldwork:plan_generate", args=[ctx.target.code]),
        data=lambda ctx: {"month": timezone.localdate().strftime("%Y-%m")},
        watch=counts(PlanItem),
        inside=VISITORS | ONLOOKERS,
    ),
    Write(
        "plan.assign",
        route="fieldwork:plan_assign",
        make=_plan_item,
        url=lambda ctx: reverse("fieldwork:plan_assign", args=[ctx.target.pk]),
        data=lambda ctx: {"pioneer": ctx.extra["other"].pk},
        watch=fields("pioneer_id"),
        inside=VISITORS,
    ),
    Write(
        "visit.create",
        route="fieldwork:visit_new",
        make=_household,
        url=lambda ctx: reverse("fieldwork:visit_new", args=[ctx.target.pk]),
        data=lambda ctx: {"met": "本人", "note": "身体还好"},
        watch=counts(Visit),
        inside=VISITORS,
    ),
    Write(
        "visit.case",
        route="fieldwork:visit_case",
        make=_visit,
        url=lambda ctx: reverse("fieldwork:visit_case", args=[ctx.target.pk]),
        data=lambda ctx: {"category": ctx.extra["category"].pk},
        watch=fields("case_id"),
        inside=VISITORS,
    ),
    Write(
        "care_rule.set",
        route="fieldwork:care_rule",
        make=lambda ctx: ctx.community,
        url=lambda ctx: reverse("fieldwork:care_rule", args=[ctx.target.code]),
        data=lambda ctx: {"tag": "low_income", "every_days": "30"},
        watch=counts(CareRule),
        # Care is the community's and its grids': the street's admin does not set it.
        inside={"community": DONE},
    ),
    Write(
        "care_round.create",
        route="fieldwork:care_new",
        make=_elder,
        url=lambda ctx: reverse("fieldwork:care_new", args=[ctx.target.pk]),
        data=lambda ctx: {"outcome": "well", "note": "精神不错"},
        watch=counts(CareRound),
        inside={"community": DONE, "grid": DONE},
        # Street B's admin sees no care records, on its own street either.
        outside={"outsider": no(404)},
    ),
]


class TestWrites(CreateMatrix, ActMatrix):
    writes = WRITES


def test_every_write_is_declared():
    assert_declared("genxi.fieldwork", WRITES)
