"""Demo field work (走访) in 金阊街道: households grouped from the register, this quarter's
monthly plans shared among each grid's pioneers, the visits they made (coverage from
about a third to nearly all, varying by grid), weekly care rounds for the residents living
alone — a few of them missed and warned, and one welfare check that found
no answer (its urgent case raised as the rule says). Bulk, seeded, loaded once."""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from genxi.cases.models import Category
from genxi.fieldwork import services
from genxi.fieldwork.domain.cycles import add_months, cycle_bounds
from genxi.fieldwork.domain.plan import plan_cycle
from genxi.fieldwork.models import (
    CareOutcome,
    CareRound,
    CareWarning,
    Household,
    PlanItem,
    Visit,
)
from genxi.people.models import Pioneer, Resident, User
from genxi.regions.models import Level, Region

SEED = 1515
STREET = "320508012000"  # 金阊街道
CARE_COMMUNITY = "320508012001"  # 彩香一村社区, the `community` and `gridworker` logins'
NOTES = [
    "老两口身体还好,孩子周末回来。",
    "反映楼道灯不亮,晚上上下楼不方便。",
    "家里有老人,希望有人定期上门量血压。",
    "对小区停车有意见,电动车乱停。",
    "一切正常,感谢社区关心。",
    "租户,刚搬来,留了社区电话。",
    "反映楼上漏水,已跟物业说过。",
]
FINDINGS = ["ENV", "FAC", "SAFE", "PROP", "AID", "TRAF"]


def _at(day: date, rng: random.Random) -> datetime:
    tz = timezone.get_current_timezone()
    return datetime.combine(day, time(rng.choice([9, 10, 14, 15, 16]), rng.randint(0, 59)), tz)


def load_fieldwork() -> dict[str, int]:
    street = Region.objects.filter(code=STREET).first()
    if street is None or Visit.objects.exists():
        return {}
    rng = random.Random(SEED)
    created = services.households_rebuild(actor=None, region=street)
    today = timezone.localdate()
    start, end = cycle_bounds(today, 3)
    months = [add_months(start, i) for i in range(3)]
    codes = set(
        Category.objects.filter(parent=None, code__in=FINDINGS).values_list("code", flat=True)
    )
    grids = list(
        Region.objects.filter(path__startswith=street.path, level=Level.GRID).order_by("path")
    )
    pioneers: dict[int, list[Pioneer]] = {}
    for p in Pioneer.objects.filter(grid__in=grids, active=True).order_by("code"):
        pioneers.setdefault(p.grid_id, []).append(p)
    households: dict[int, list[int]] = {}
    for pk, grid_id in Household.objects.filter(grid__in=grids, active=True).values_list(
        "pk", "grid_id"
    ):
        households.setdefault(grid_id, []).append(pk)
    gridworker = User.objects.filter(username="gridworker").first()
    plan_rows: list[PlanItem] = []
    visits: list[Visit] = []
    for index, grid in enumerate(grids):
        people = pioneers.get(grid.pk, [])
        homes = households.get(grid.pk, [])
        if not people or not homes:
            continue
        # How diligent a grid is: from about a third of its households to nearly all.
        diligence = 0.35 + 0.6 * ((index * 7) % 11) / 10
        plans = plan_cycle(homes, [p.pk for p in people], 3)
        for month, plan in zip(months, plans, strict=True):
            if month > today:
                continue
            last_day = min(add_months(month, 1) - timedelta(days=1), today)
            for household_id, pioneer_id in plan.items():
                plan_rows.append(
                    PlanItem(
                        month=month, grid=grid, household_id=household_id, pioneer_id=pioneer_id
                    )
                )
                if rng.random() > diligence:
                    continue
                span = max((last_day - month).days, 0)
                day = month + timedelta(days=rng.randint(0, span))
                found = [rng.choice(sorted(codes))] if codes and rng.random() < 0.15 else []
                pioneer = next(p for p in people if p.pk == pioneer_id)
                visits.append(
                    Visit(
                        household_id=household_id,
                        grid=grid,
                        at=_at(day, rng),
                        pioneer=pioneer,
                        recorded_by=gridworker
                        if pioneer.user_id == getattr(gridworker, "pk", 0)
                        else None,
                        met=rng.choice(["户主本人", "老人", "老人和子女", "租户", "家属"]),
                        findings=found,
                        note=rng.choice(NOTES),
                        key=uuid.UUID(int=rng.getrandbits(128), version=4),
                    )
                )
    PlanItem.objects.bulk_create(plan_rows, batch_size=1000)
    Visit.objects.bulk_create(visits, batch_size=1000)
    created.update(plan_items=len(plan_rows), visits=len(visits))
    created.update(_care(rng, today, gridworker, street))
    return created


def _care(
    rng: random.Random, today: date, gridworker: User | None, street: Region
) -> dict[str, int]:
    """Weekly rounds for six weeks for the street's residents living alone; a few
    stopped ten days ago (missed: warned), one welfare check with no answer."""
    alone = [
        r
        for r in Resident.objects.filter(grid__path__startswith=street.path)
        .select_related("grid")
        .order_by("pk")
        if "elderly_alone" in r.tags
    ]
    rounds: list[CareRound] = []
    warnings: list[CareWarning] = []
    for n, resident in enumerate(alone):
        missed = n % 9 == 4  # about one in nine
        last = today - timedelta(days=10 if missed else rng.randint(0, 5))
        for week in range(6):
            day = last - timedelta(days=7 * week)
            rounds.append(
                CareRound(
                    resident=resident,
                    grid=resident.grid,
                    at=_at(day, rng),
                    outcome=CareOutcome.WELL if rng.random() > 0.15 else CareOutcome.NEEDS_HELP,
                    note=rng.choice(
                        ["精神不错,按时吃药。", "腿脚不便,想请人帮忙买菜。", "一切都好。"]
                    ),
                    visitor=gridworker if resident.grid.code.endswith("001") else None,
                    key=uuid.UUID(int=rng.getrandbits(128), version=4),
                )
            )
        if missed:
            due = last + timedelta(days=7)
            for level in ("grid", "community"):
                warnings.append(
                    CareWarning(resident=resident, grid=resident.grid, due=due, level=level)
                )
    CareRound.objects.bulk_create(rounds, batch_size=1000)
    CareWarning.objects.bulk_create(warnings)
    no_answer = 0
    first_grid = [r for r in alone if r.grid.code == f"{CARE_COMMUNITY}001"]
    if first_grid and gridworker is not None:
        services.care_round_record(
            actor=gridworker,
            resident=first_grid[0],
            outcome=CareOutcome.NO_ANSWER,
            note="敲门十分钟无人应答,电话未接。",
        )
        no_answer = 1
    return {"care_rounds": len(rounds) + no_answer, "care_missed": len(warnings) // 2}
