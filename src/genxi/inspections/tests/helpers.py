"""Inspections for the tests: the default checklists, a canteen and a shop in 彩香一村, a
round of street A with a department officer on its team, and a drawn signature."""

from __future__ import annotations

import base64
import io
import uuid
from datetime import date, timedelta

from PIL import Image, ImageDraw

from genxi.core.roles import Role
from genxi.core.testing.world import make_user
from genxi.inspections import services
from genxi.inspections.models import ChecklistTemplate, Result


def signature() -> str:
    image = Image.new("RGBA", (300, 120), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(10, 100), (80, 20), (150, 90), (290, 30)], fill="black", width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def templates():
    services.ensure_default_templates()
    return {t.code: t for t in ChecklistTemplate.objects.all()}


def target(world, name="彩香小学食堂", kind="school_canteen", community=None, grid=None, **kw):
    community = community or world.a1
    actor = kw.pop("actor", None) or world.users["outsider" if community == world.b1 else "street"]
    return services.target_create(
        actor=actor,
        kind=kind,
        name=name,
        community=community,
        grid=grid if grid is not None else (world.grid_a1 if community == world.a1 else None),
        address=kw.pop("address", "彩香路8号"),
        licences=kw.pop("licences", "JY23205080012345"),
        responsible_name=kw.pop("responsible_name", "王建国"),
        responsible_phone=kw.pop("responsible_phone", "13912345678"),
    )


def officer(world, username="scjg"):
    """A department officer (the market-supervision branch) over street A."""
    return make_user(username, Role.DEPARTMENT_OFFICER, region=world.street_a)


def round_(world, targets, code="school-canteen-food", team=None, street=None, **kw):
    street = street or world.street_a
    actor = world.users["outsider" if street == world.street_b else "street"]
    return services.round_create(
        actor=kw.pop("actor", actor),
        title=kw.pop("title", "春季学校食堂食品安全检查"),
        street=street,
        template=templates()[code],
        targets=targets,
        starts_on=kw.pop("starts_on", date.today()),
        ends_on=kw.pop("ends_on", date.today() + timedelta(days=5)),
        team=team if team is not None else [],
        department=kw.pop("department", "市场监管分局"),
    )


def answer_all(inspection, actor, fail=(), fixed=(), photo=None):
    """Answer every item: pass, except the positions in `fail` (fixed on the spot if also
    in `fixed`); a failed item that needs a photo gets `photo`."""
    answers = []
    for item in services.items_of(inspection):
        failed = item.position in fail
        answers.append(
            services.answer_submit(
                actor=actor,
                inspection=inspection,
                item=item,
                key=uuid.uuid4(),
                result=Result.FAIL if failed else Result.PASS,
                note="发现问题" if failed else "",
                fixed_on_spot=item.position in fixed,
                photos=[photo()] if failed and item.photo_on_fail and photo else [],
            )
        )
    return answers
