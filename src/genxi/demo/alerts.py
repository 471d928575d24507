"""The demo's early warnings: a recurrence and a hotspot planted in 彩香一村 (金阊街道), then
the scan that the background worker runs every day — so the community's workbench, the
warnings' list and its map have something to show. Deterministic (seeded)."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from genxi.alerts import services as alerts
from genxi.cases.models import Case, Category
from genxi.cases.services import case_create
from genxi.people.models import User
from genxi.regions.models import Building, Region

SEED = 1414
COMMUNITY = "320508012001"  # 彩香一村社区, the `community` login's
RECURRING = (
    "ENV.02",
    [
        "楼道里又堆满了纸箱杂物,消防通道不通",
        "楼道杂物清了又堆,请物业再管管",
        "楼梯间堆放旧家具,老人上下楼不便",
        "楼道又被电瓶车和杂物堵住了",
    ],
)
HOTSPOT = ("FAC.02", "路灯不亮,晚上走路看不清", 9)


def load_alerts() -> dict[str, int]:
    """Plant (once) and scan. Answers the counts of the scan."""
    staff = User.objects.get(username="community")
    community = Region.objects.get(code=COMMUNITY)
    planting = not Case.objects.filter(tags__icontains='"demo-alerts"').exists()
    if planting:
        _plant(staff, community)
    result = alerts.scan()  # a second load refreshes what the first raised: nothing new
    return {"warnings": result.new, "focus_problems": result.focus if planting else 0}


def _backdate(case: Case, days_ago: float) -> None:
    Case.objects.filter(pk=case.pk).update(created_at=timezone.now() - timedelta(days=days_ago))


def _plant(staff, community: Region) -> None:
    rng = random.Random(SEED)
    building = (
        Building.objects.filter(estate__community=community, grid__isnull=False)
        .select_related("estate", "grid")
        .order_by("estate__name", "number")
        .first()
    )
    grids = list(Region.objects.grids().under(community).order_by("code"))
    code, texts = RECURRING
    category = (
        Category.objects.filter(code=code).first()
        or Category.objects.filter(parent__isnull=False).order_by("code").first()
    )
    where = f"{building.estate.name}{building.number}幢" if building else "彩香一村3幢"
    grid = building.grid if building else grids[0]
    for i, text in enumerate(texts):
        case = case_create(
            actor=staff,
            channel="phone",
            text=text,
            category=category,
            address=where,
            region=grid,
            tags=["demo-alerts"],
        )
        _backdate(case, 70 - 20 * i + rng.uniform(0, 3))
    code, text, n = HOTSPOT
    category = Category.objects.filter(code=code).first() or category
    target = grids[-1]
    ring = (target.geometry or {}).get("coordinates", [[[120.59, 31.32]]])[0]
    lat0 = sum(p[1] for p in ring) / len(ring)
    lon0 = sum(p[0] for p in ring) / len(ring)
    for i in range(n):
        case = case_create(
            actor=staff,
            channel="public_form" if i % 2 else "phone",
            text=f"{text}({i + 1})" if i else text,
            category=category,
            lat=lat0 + rng.uniform(-0.0003, 0.0003),
            lon=lon0 + rng.uniform(-0.0003, 0.0003),
            region=target,
            tags=["demo-alerts"],
        )
        _backdate(case, rng.uniform(0.5, 20))
