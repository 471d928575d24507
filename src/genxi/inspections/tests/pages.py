"""The readable routes of inspections (core/testing/page_matrix.py). On each side: a shop
registered by the street's admin, a fire-safety round of the street with the side's
community worker on its team, the shop inspected with a failure, and its notice."""

import uuid
from datetime import date, timedelta

from django.urls import reverse

from genxi.core.testing.page_matrix import Page
from genxi.inspections import services
from genxi.inspections.models import ChecklistTemplate, MemberRole, Result

from .helpers import signature

READERS = ("system_admin", "street", "community", "grid", "unit", "outsider", "department")
# A round and what it holds: the street's admin, the community's staff and the grid worker
# of a target's grid (the system admin everywhere). A department officer sees only the
# rounds it is on the team of (none here).
ROUND_READERS = ("system_admin", "street", "community", "grid")
POST_ONLY = {"*": 405}


def seed(side):
    services.ensure_default_templates()
    fire = ChecklistTemplate.objects.get(code="shop-fire-safety")
    shop = services.target_create(
        actor=side.staff,
        kind="restaurant",
        name=f"{side.tag}小吃店",
        community=side.community,
        grid=side.grid,
        address=f"{side.tag}路3号",
        responsible_name="李店主",
        responsible_phone="13700004321" if side.name == "in" else "13700004322",
    )
    round_ = services.round_create(
        actor=side.staff,
        title=f"{side.tag}商铺消防检查",
        street=side.street,
        template=fire,
        targets=[shop],
        starts_on=date.today(),
        ends_on=date.today() + timedelta(days=3),
        team=[(side.worker, MemberRole.COMMUNITY)],
    )
    inspection = round_.inspections.get()
    for item in services.items_of(inspection):
        services.answer_submit(
            actor=side.worker,
            inspection=inspection,
            item=item,
            key=uuid.uuid4(),
            result=Result.FAIL if item.position == 5 else Result.PASS,
            note=f"{side.tag}横幅张贴不规范" if item.position == 5 else "",
        )
    services.inspection_finish(
        actor=side.worker, inspection=inspection, ack_name="李店主", signature=signature()
    )
    return {
        "shop": shop,
        "round": round_,
        "inspection": inspection,
        "notice": inspection.notices.get(),
        "fire": fire,
    }


def _fire():
    return ChecklistTemplate.objects.get(code="shop-fire-safety")


PAGES = {
    "inspections:rounds": Page(lambda s: reverse("inspections:rounds"), READERS),
    "inspections:round_new": Page(
        lambda s: reverse("inspections:round_new"), ("system_admin", "street", "outsider")
    ),
    "inspections:round": Page(
        lambda s: reverse("inspections:round", args=[s.round.pk]), ROUND_READERS
    ),
    "inspections:round_close": Page(
        lambda s: reverse("inspections:round_close", args=[s.round.pk]), answers=POST_ONLY
    ),
    "inspections:targets": Page(lambda s: reverse("inspections:targets"), READERS),
    "inspections:target_new": Page(
        lambda s: reverse("inspections:target_new"), ("street", "community", "outsider")
    ),
    "inspections:target": Page(
        lambda s: reverse("inspections:target", args=[s.shop.pk]), ROUND_READERS
    ),
    "inspections:inspection": Page(
        lambda s: reverse("inspections:inspection", args=[s.inspection.pk]), ROUND_READERS
    ),
    "inspections:answer": Page(
        lambda s: reverse("inspections:answer", args=[s.inspection.pk]), answers=POST_ONLY
    ),
    "inspections:finish": Page(
        lambda s: reverse("inspections:finish", args=[s.inspection.pk]), answers=POST_ONLY
    ),
    "inspections:notices": Page(lambda s: reverse("inspections:notices"), READERS),
    "inspections:notice": Page(
        lambda s: reverse("inspections:notice", args=[s.notice.pk]), ROUND_READERS
    ),
    "inspections:notice_pdf": Page(
        lambda s: reverse("inspections:notice_pdf", args=[s.notice.pk]), ROUND_READERS
    ),
    "inspections:templates": Page(lambda s: reverse("inspections:templates"), READERS),
    # The checklists are the city's: the same page for every side.
    "inspections:template": Page(
        lambda s: reverse("inspections:template", args=[_fire().pk]),
        READERS,
    ),
}
