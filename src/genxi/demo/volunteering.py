"""Demo volunteer hours (志愿服务时长与积分): a year for the 625 pioneers of 金阊街道 — the
proposals collected from the demo's finished events, served duty shifts and resolved cases,
plus manual entries for other service (door-to-door campaigns, care visits), mostly
confirmed under the street's default rules (version 1), the last fortnight's left for the
organisers to confirm (彩香一村's for the `community` login). Bulk inserts, deterministic."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from genxi.people.models import Pioneer
from genxi.regions.models import Region
from genxi.volunteering import services
from genxi.volunteering.domain.points import DEFAULT_RULES, Service, points_for
from genxi.volunteering.models import HoursRecord, HoursStatus, PointsRules, Source

SEED = 1125
STREET = "320508012000"  # 金阊街道
PENDING_DAYS = 14
MANUAL = ["入户宣传防范非法集资", "关爱独居老人探访", "楼道清理", "垃圾分类督导", "文明交通劝导"]


def load_volunteering() -> dict[str, int]:
    street = Region.objects.filter(code=STREET).first()
    if street is None or PointsRules.objects.filter(street=street).exists():
        return {}
    rng = random.Random(SEED)
    today = timezone.localdate()
    now = timezone.now()
    rules = PointsRules.objects.create(
        street=street, version=1, rules=DEFAULT_RULES.as_json(), note="默认规则"
    )
    proposed = services.collect(paths=(street.path,))
    pioneers = list(
        Pioneer.objects.filter(grid__path__startswith=street.path)
        .select_related("grid")
        .order_by("code")
    )
    manual: list[HoursRecord] = []
    for p in pioneers:
        for n in range(rng.randint(1, 6)):
            manual.append(
                HoursRecord(
                    pioneer=p,
                    community_id=p.grid.parent_id,
                    source=Source.MANUAL,
                    source_key=f"manual:demo-{p.code}-{n}",
                    title=rng.choice(MANUAL),
                    served_on=today - timedelta(days=rng.randint(1, 360)),
                    hours=Decimal(rng.choice([1, 1.5, 2, 2, 3, 4])).quantize(Decimal("0.1")),
                )
            )
    HoursRecord.objects.bulk_create(manual, batch_size=1000)
    kinds = {p.pk: p.kind for p in pioneers}
    records = list(
        HoursRecord.objects.filter(community__path__startswith=street.path).order_by(
            "served_on", "id"
        )
    )
    firsts: set[tuple[int, int]] = set()
    done: list[HoursRecord] = []
    for r in records:
        recent = (today - r.served_on).days <= PENDING_DAYS and r.source != Source.MANUAL
        if recent or rng.random() < 0.03:
            continue  # left for the organiser to confirm
        if rng.random() < 0.02:
            r.status, r.reason = HoursStatus.REJECTED, "当天未到岗"
        else:
            key = (r.pioneer_id, r.served_on.year)
            points = points_for(
                Service(
                    r.hours, r.source, kinds.get(r.pioneer_id, ""), r.served_on, key not in firsts
                ),
                DEFAULT_RULES,
            )
            firsts.add(key)
            r.status, r.points, r.points_detail, r.rules = (
                HoursStatus.CONFIRMED,
                points.total,
                points.as_json(),
                rules,
            )
        r.decided_at = now
        done.append(r)
    HoursRecord.objects.bulk_update(
        done,
        ["status", "reason", "points", "points_detail", "rules", "decided_at"],
        batch_size=1000,
    )
    return {
        "hours_records": len(records),
        "hours_proposed": proposed,
        "hours_confirmed": sum(1 for r in done if r.status == HoursStatus.CONFIRMED),
    }
