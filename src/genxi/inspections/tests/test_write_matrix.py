"""The write matrix of inspections (core/testing/write_matrix.py): registering a target,
planning and closing a round, answering an item and signing an inspection off — for every
role, inside street A and in street B."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.urls import reverse

from genxi.core.testing.matrix import ActMatrix, CreateMatrix
from genxi.core.testing.write_matrix import Ctx, Write, assert_declared, counts, fields, no, ok
from genxi.inspections import services
from genxi.inspections.models import (
    Answer,
    ChecklistTemplate,
    Inspection,
    MemberRole,
    Result,
    Round,
    Target,
)

from .helpers import signature

REFUSED = no(403)
NOT_A_CHOICE = no(400)
STAFF = {"street": ok(302), "community": ok(302)}
# Who answers an inspection: the round's team and the staff over the target's place; the
# others who see it (the system admin, the grid worker of the target's grid) may not.
INSPECTORS = STAFF | {"system_admin": REFUSED, "grid": REFUSED}
PLANNERS = {"street": ok(302), "system_admin": ok(302), "community": REFUSED, "grid": REFUSED}


def _shop(ctx: Ctx) -> Target:
    return services.target_create(
        actor=ctx.staff,
        kind="shop",
        name=f"商铺{ctx.role}",
        community=ctx.community,
        grid=ctx.grid,
    )


def _round(ctx: Ctx) -> Round:
    services.ensure_default_templates()
    return services.round_create(
        actor=ctx.staff,
        title="商铺消防检查",
        street=ctx.street,
        template=ChecklistTemplate.objects.get(code="shop-fire-safety"),
        targets=[_shop(ctx)],
        starts_on=date.today(),
        ends_on=date.today() + timedelta(days=3),
        team=[(ctx.worker, MemberRole.COMMUNITY)],
    )


def _inspection(ctx: Ctx) -> Inspection:
    return _round(ctx).inspections.get()


def _answered(ctx: Ctx) -> Inspection:
    inspection = _inspection(ctx)
    for item in services.items_of(inspection):
        services.answer_submit(
            actor=ctx.staff, inspection=inspection, item=item, key=uuid.uuid4(), result=Result.PASS
        )
    return inspection


def _first_item(ctx: Ctx) -> int:
    return services.items_of(ctx.target)[0].pk


WRITES = [
    Write(
        "inspection_target.create",
        route="inspections:target_new",
        make=lambda ctx: ctx.community,
        url=lambda ctx: reverse("inspections:target_new"),
        data=lambda ctx: {"kind": "shop", "name": "新商铺", "community": ctx.target.pk},
        watch=counts(Target),
        inside=STAFF | {"outsider": NOT_A_CHOICE},
        outside={"street": NOT_A_CHOICE, "community": NOT_A_CHOICE},
        near={"community": NOT_A_CHOICE},
    ),
    Write(
        "inspection_round.create",
        route="inspections:round_new",
        make=_shop,
        url=lambda ctx: reverse("inspections:round_new"),
        data=lambda ctx: (
            {
                "title": "新一轮检查",
                "street": ctx.street.pk,
                "template": ChecklistTemplate.objects.get(code="shop-fire-safety").pk,
                "starts_on": "2026-12-10",
                "ends_on": "2026-12-12",
                "targets": [ctx.target.pk],
            }
            if services.ensure_default_templates()
            else {}
        ),
        watch=counts(Round),
        inside={"street": ok(302), "system_admin": ok(302), "outsider": NOT_A_CHOICE},
        outside={"street": NOT_A_CHOICE},
    ),
    Write(
        "inspection_round.close",
        route="inspections:round_close",
        make=_round,
        url=lambda ctx: reverse("inspections:round_close", args=[ctx.target.pk]),
        watch=fields("state"),
        inside=PLANNERS,
    ),
    Write(
        "inspection.answer",
        route="inspections:answer",
        make=_inspection,
        url=lambda ctx: reverse("inspections:answer", args=[ctx.target.pk]),
        data=lambda ctx: {"key": str(uuid.uuid4()), "item": _first_item(ctx), "result": "pass"},
        watch=counts(Answer),
        inside=INSPECTORS,
    ),
    Write(
        "inspection.finish",
        route="inspections:finish",
        make=_answered,
        url=lambda ctx: reverse("inspections:finish", args=[ctx.target.pk]),
        data=lambda ctx: {"ack_name": "店主", "signature": signature()},
        watch=fields("state"),
        inside=INSPECTORS,
    ),
]


class TestWrites(CreateMatrix, ActMatrix):  # a name with ".create" is a create
    writes = WRITES


def test_every_write_is_declared():
    assert_declared("genxi.inspections", WRITES)
