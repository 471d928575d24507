"""The permission matrix of inspections' objects (core/testing/matrix.py): a target, a round
and a notice, their pages and lists, for every role on every side. A department officer
sees only the rounds it is on the team of (and their targets and notices), not the rest of
its street; the others see by place."""

import uuid
from datetime import date, timedelta

from genxi.core.testing.matrix import IN, STAFF_SIGHT, ListMatrix, ViewMatrix, sight
from genxi.inspections import services
from genxi.inspections.models import ChecklistTemplate, MemberRole, Result

from .helpers import signature

# The department officer of the world is on no round here: it sees none of them.
SEES = sight(STAFF_SIGHT, department=())
# … and when it is on the team of the inside round, that round and what it holds.
ON_TEAM = sight(STAFF_SIGHT, department={IN})


def _shop(ctx):
    return services.target_create(
        actor=ctx.staff,
        kind="shop",
        name=f"{ctx.side}商铺{ctx.role}",
        community=ctx.community,
        grid=ctx.grid,
        responsible_name="李店主",
        responsible_phone="13700004321",
    )


def _round(ctx, with_officer=False):
    services.ensure_default_templates()
    team = [(ctx.worker, MemberRole.COMMUNITY)]
    if with_officer and ctx.side == IN:
        team.append((ctx.world.users["department"], MemberRole.DEPARTMENT))
    return services.round_create(
        actor=ctx.staff,
        title=f"{ctx.side}商铺消防检查{ctx.role}",
        street=ctx.street,
        template=ChecklistTemplate.objects.get(code="shop-fire-safety"),
        targets=[_shop(ctx)],
        starts_on=date.today(),
        ends_on=date.today() + timedelta(days=3),
        team=team,
    )


class TestTargets(ViewMatrix, ListMatrix):
    page_detail, page_list = "inspections:target", "inspections:targets"
    sees = SEES

    def make(self, ctx):
        return _shop(ctx)


class TestRounds(ViewMatrix, ListMatrix):
    page_detail, page_list = "inspections:round", "inspections:rounds"
    label_attr = "title"
    sees = SEES

    def make(self, ctx):
        return _round(ctx)


class TestRoundsOfTheTeam(ViewMatrix):
    page_detail = "inspections:round"
    sees = ON_TEAM

    def make(self, ctx):
        return _round(ctx, with_officer=True)


class TestNotices(ViewMatrix, ListMatrix):
    page_detail, page_list = "inspections:notice", "inspections:notices"
    label_attr = "number"
    sees = ON_TEAM

    def make(self, ctx):
        inspection = _round(ctx, with_officer=True).inspections.get()
        for item in services.items_of(inspection):
            services.answer_submit(
                actor=ctx.staff,
                inspection=inspection,
                item=item,
                key=uuid.uuid4(),
                result=Result.FAIL if item.position == 5 else Result.PASS,
            )
        services.inspection_finish(
            actor=ctx.staff, inspection=inspection, ack_name="李店主", signature=signature()
        )
        return inspection.notices.get()
