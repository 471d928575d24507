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
    pioneers = list(
        Pioneer.objects.filter(grid__path__startswith=street.path)
        .select_related("grid")
        .order_by("code")
    )
    kinds = {p.pk: p.kind for p in pioneers}
    inside = set(Region.objects.filter(path__startswith=street.path).values_list("pk", flat=True))
    proposals = [
        p
        for p in services.event_proposals()
        + services.duty_proposals(today=today)
        + services.case_proposals()
        if p.community_id in inside and p.pioneer_id in kinds
    ]
    for pioneer in pioneers:
        for n in range(rng.randint(1, 6)):
            proposals.append(
                services.Proposal(
                    pioneer_id=pioneer.pk,
                    community_id=pioneer.grid.parent_id or pioneer.grid_id,
                    source=Source.MANUAL,
                    source_key=f"manual:demo-{pioneer.code}-{n}",
                    title=rng.choice(MANUAL),
                    served_on=today - timedelta(days=rng.randint(1, 360)),
                    hours=Decimal(rng.choice(["1", "1.5", "2", "2", "3", "4"])),
                )
            )
    proposals.sort(key=lambda p: (p.served_on, p.source_key, p.pioneer_id))
    firsts: set[tuple[int, int]] = set()
    records: list[HoursRecord] = []
    seen: set[tuple[int, str]] = set()
    for p in proposals:
        if (p.pioneer_id, p.source_key) in seen:
            continue
        seen.add((p.pioneer_id, p.source_key))
        r = HoursRecord(
            pioneer_id=p.pioneer_id,
            community_id=p.community_id,
            source=p.source,
            source_key=p.source_key,
            title=p.title,
            served_on=p.served_on,
            hours=p.hours,
            event_id=p.event_id,
            shift_id=p.shift_id,
            case_id=p.case_id,
        )
        records.append(r)
        recent = (today - p.served_on).days <= PENDING_DAYS and p.source != Source.MANUAL
        if recent or rng.random() < 0.03:
            continue  # left for the organiser to confirm
        r.decided_at = now
        if rng.random() < 0.02:
            r.status, r.reason = HoursStatus.REJECTED, "当天未到岗"
            continue
        key = (p.pioneer_id, p.served_on.year)
        points = points_for(
            Service(p.hours, p.source, kinds[p.pioneer_id], p.served_on, key not in firsts),
            DEFAULT_RULES,
        )
        firsts.add(key)
        r.status, r.points, r.points_detail, r.rules = (
            HoursStatus.CONFIRMED,
            points.total,
            points.as_json(),
            rules,
        )
    HoursRecord.objects.bulk_create(records, batch_size=1000)
    return {
        "hours_records": len(records),
        "hours_confirmed": sum(1 for r in records if r.status == HoursStatus.CONFIRMED),
    }
