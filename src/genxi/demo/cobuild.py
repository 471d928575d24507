"""Demo co-building data for 金阊街道: resources of its 180 units, needs of its 29
communities, claims in every state, pooled needs. Loaded once."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from genxi.cobuild import services
from genxi.cobuild.models import Claim, ClaimStatus, Kind, Need, NeedStatus, Resource
from genxi.orgs.models import PartnerUnit
from genxi.people.models import User
from genxi.regions.models import Region

SEED = 404
NEEDS = [
    ("周末助老志愿服务", Kind.VOLUNTEERS, "志愿小时", (20, 60)),
    ("独居老人上门探访", Kind.VOLUNTEERS, "志愿小时", (10, 40)),
    ("“幸福里集市”场地", Kind.VENUE, "场次", (1, 4)),
    ("暑期青少年课业辅导", Kind.EDUCATION, "课时", (10, 30)),
    ("法律咨询进社区", Kind.LEGAL, "场次", (2, 6)),
    ("防范非法集资讲座", Kind.LEGAL, "场次", (1, 3)),
    ("义诊与健康讲座", Kind.MEDICAL, "场次", (1, 4)),
    ("新就业群体心理疏导", Kind.PSYCHOLOGICAL, "人次", (10, 30)),
    ("“红围巾”暖冬礼包", Kind.GOODS, "份", (50, 200)),
    ("驿站热饮机和取暖器", Kind.EQUIPMENT, "台", (1, 3)),
    ("楼道整治资金", Kind.FUNDS, "元", (3000, 20000)),
]
RESOURCE_TEXT: dict[str, str] = {
    Kind.VOLUNTEERS: "党员志愿者服务队",
    Kind.VENUE: "单位活动室对外开放",
    Kind.EDUCATION: "青年教师课业辅导",
    Kind.LEGAL: "律师免费法律咨询",
    Kind.MEDICAL: "医护人员义诊",
    Kind.PSYCHOLOGICAL: "心理咨询师驻点服务",
    Kind.GOODS: "爱心物资捐赠",
    Kind.EQUIPMENT: "设备捐赠与维护",
    Kind.FUNDS: "共建资金",
}


# Why a community turned a claim down (the unit reads it), chosen without the demo's random
# numbers so that adding them changed nothing else.
REJECTION_REASONS = [
    "已由其他单位认领满额,感谢支持",
    "时间与社区活动安排冲突",
    "认领数量超出本期需要",
    "需要具备相应资质的单位承接",
]


def rejection_reason(n: int) -> str:
    return REJECTION_REASONS[n % len(REJECTION_REASONS)]


def _delivered(day: date, rng: random.Random):
    """A delivery time on `day` or up to a month after it, never in the future."""
    when = min(day + timedelta(days=rng.randint(0, 30)), date.today())
    return timezone.make_aware(datetime.combine(when, time(rng.randint(9, 17))))


def load_cobuild() -> int:
    if Need.objects.exists():
        return 0
    rng = random.Random(SEED)
    street = Region.objects.get(code="320508012000")
    units = list(PartnerUnit.objects.filter(region=street).order_by("code"))
    resources = []
    for unit in units:
        for kind in rng.sample(list(Kind.values), rng.randint(1, 2)):
            resources.append(
                Resource(
                    unit=unit,
                    kind=kind,
                    description=RESOURCE_TEXT[kind],
                    capacity=rng.randint(5, 60) if kind != Kind.FUNDS else rng.randint(5000, 50000),
                    unit_label="元" if kind == Kind.FUNDS else "次",
                    schedule=rng.choice(["每周二下午", "每月第一个周六", "工作日", "按需预约"]),
                )
            )
    Resource.objects.bulk_create(resources)
    paired: dict[int, list[PartnerUnit]] = {}
    for unit in units:
        for pairing in unit.pairings.all():
            paired.setdefault(pairing.community_id, []).append(unit)
    today = date.today()
    count = 0
    for community in street.children.order_by("code"):
        partners = paired.get(community.pk) or units[:3]
        for title, kind, label, (lo, hi) in rng.sample(NEEDS, rng.randint(4, 8)):
            quantity = rng.randint(lo, hi)
            pooled = kind in (Kind.FUNDS, Kind.GOODS) or rng.random() < 0.2
            start = today + timedelta(days=rng.randint(-60, 60))
            need = Need.objects.create(
                community=community,
                title=title,
                kind=kind,
                quantity=quantity,
                unit_label=label,
                pooled=pooled,
                start=start,
                end=start + timedelta(days=30),
                beneficiaries=rng.choice(["独居老人", "社区居民", "新就业群体", "青少年"]),
                beneficiary_count=rng.randint(10, 200),
                description=f"{community.name}{title}",
            )
            count += 1
            left = quantity
            for unit in rng.sample(partners, min(len(partners), 3 if pooled else 1)):
                if left <= 0:
                    break
                amount = max(1, min(left, rng.randint(quantity // 4 or 1, quantity)))
                status = rng.choice(
                    [
                        ClaimStatus.PENDING,
                        ClaimStatus.APPROVED,
                        ClaimStatus.DELIVERED,
                        ClaimStatus.DELIVERED,
                        ClaimStatus.REJECTED,
                    ]
                )
                Claim.objects.create(
                    need=need,
                    community=community,
                    kind=need.kind,
                    unit_label=need.unit_label,
                    unit=unit,
                    quantity=amount,
                    status=status,
                    delivered_amount=amount if status == ClaimStatus.DELIVERED else 0,
                    beneficiaries_served=rng.randint(10, 80)
                    if status == ClaimStatus.DELIVERED
                    else 0,
                    delivered_at=_delivered(min(start, today), rng)
                    if status == ClaimStatus.DELIVERED
                    else None,
                    reason=rejection_reason(count + amount)
                    if status == ClaimStatus.REJECTED
                    else "",
                )
                if status in (ClaimStatus.APPROVED, ClaimStatus.DELIVERED):
                    need.filled += amount
                    left -= amount
            if need.filled >= need.quantity:
                need.status = NeedStatus.FILLED
            elif rng.random() < 0.05:
                need.status = NeedStatus.CLOSED
            need.save(update_fields=["filled", "status"])
    load_proposals()
    return count


def load_proposals() -> None:
    """The README's walk through a proposed match: the `community` login (彩香一村) has
    proposed two suggested matches to the `unit` login's unit — one waits for the liaison to
    confirm, one the liaison declined with a reason the community reads — and turned down
    one of the unit's claims, saying why."""
    community = Region.objects.get(code="320508012001")
    unit = PartnerUnit.objects.get(code="U-JC-001")
    worker = User.objects.get(username="community")
    liaison = User.objects.get(username="unit")
    needs = [
        n
        for n in Need.objects.filter(community=community, status=NeedStatus.OPEN).order_by("id")
        if n.quantity - n.filled >= 2
    ][:3]
    if len(needs) == 3:
        claim = services.claim_create(actor=liaison, unit=unit, need=needs[2], quantity=1)
        services.claim_reject(
            actor=worker, claim=claim, reason="本周活动已由其他单位承接,下次优先安排"
        )
    needs = needs[:2]
    made = []
    for need in needs:
        resource = Resource.objects.filter(unit=unit, kind=need.kind).first()
        if resource is None:
            resource = services.resource_create(
                actor=liaison,
                unit=unit,
                kind=need.kind,
                description=RESOURCE_TEXT[need.kind],
                capacity=max(need.quantity, 10),
                unit_label=need.unit_label,
                schedule="按需预约",
            )
        room = need.quantity - need.filled
        made.append(
            services.match_accept(
                actor=worker, need=need, resource=resource, quantity=max(1, min(room, room // 2))
            )
        )
    if len(made) == 2:
        services.proposal_decline(
            actor=liaison, claim=made[1], reason="本月志愿者已全部排班,下月可以承接"
        )
