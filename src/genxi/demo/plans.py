"""Demo projects, services and joint meetings for 金阊街道. Meetings go through the services,
in the order they were held, so that minutes, attendance, resolutions (as needs, projects
and cases) and the carried-over agenda items are what the software itself would record."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from genxi.cases.models import Case
from genxi.cobuild import services
from genxi.cobuild.domain.recurrence import weekly_dates
from genxi.cobuild.models import (
    ActionKind,
    Claim,
    ClaimStatus,
    Kind,
    Meeting,
    Need,
    Project,
    ProjectStatus,
    ServiceOffer,
    ServiceSlot,
)
from genxi.orgs.models import PartnerUnit
from genxi.people.models import Resident, User
from genxi.regions.models import Region

from .cobuild import rejection_reason

SEED = 2027
# The states of a claim a unit made (proposals are made in demo/cobuild.py).
UNIT_CLAIM_STATES = [
    ClaimStatus.PENDING,
    ClaimStatus.APPROVED,
    ClaimStatus.REJECTED,
    ClaimStatus.DELIVERED,
]
PROJECTS = [
    ("长者助餐点建设", "为辖区 80 岁以上老人提供午餐和送餐服务", (20000, 80000)),
    ("口袋公园改造", "把闲置空地改成居民休憩的口袋公园", (30000, 150000)),
    ("“幸福里”邻里节", "以节庆活动凝聚邻里,带动志愿服务", (5000, 20000)),
    ("老旧小区楼道微更新", "楼道照明、扶手和消防设施改造", (10000, 60000)),
    ("“四点半课堂”", "放学后为双职工家庭孩子提供看护和辅导", (8000, 30000)),
    ("新就业群体暖心驿站", "为快递员、外卖骑手提供歇脚、热饮和充电", (10000, 40000)),
    ("适老化改造示范", "为独居老人家中加装扶手、防滑垫和紧急呼叫", (20000, 70000)),
]
SERVICES = [
    ("免费法律咨询", Kind.LEGAL, time(14), time(17)),
    ("社区义诊", Kind.MEDICAL, time(9), time(11, 30)),
    ("心理疏导驻点", Kind.PSYCHOLOGICAL, time(14), time(16)),
    ("“四点半课堂”辅导", Kind.EDUCATION, time(16, 30), time(18)),
    ("家电义务维修", Kind.EQUIPMENT, time(9), time(11)),
]
OPINION_NOTES = [
    "走访中居民反映:小区电动车充电桩不够,晚上常有人飞线充电。",
    "独居老人希望有人定期上门,帮忙买菜、陪聊。",
    "居民代表建议在小区空地增加健身器材和座椅。",
    "家长反映放学后到下班前孩子无人看管。",
    "快递员反映附近没有地方歇脚、喝水、充电。",
]
# Community projects the lists start with; the meetings' resolutions add the rest of the
# street's 87 (see demo/service_projects.py).
COMMUNITY_PROJECTS = 67
RESOLUTIONS = [
    ("招募助老志愿者,开展独居老人上门探访", ActionKind.NEED, Kind.VOLUNTEERS, 40, "志愿小时"),
    ("募集暖冬物资,为困难家庭送去“红围巾”礼包", ActionKind.NEED, Kind.GOODS, 120, "份"),
    ("启动口袋公园改造项目", ActionKind.PROJECT, None, 60000, ""),
    ("建设新就业群体暖心驿站", ActionKind.PROJECT, None, 30000, ""),
    ("彩香新村5幢门口路灯不亮,夜间出行不便,请尽快维修", ActionKind.CASE, None, 0, ""),
    ("小区东门非机动车乱停放堵塞消防通道,请组织整治", ActionKind.CASE, None, 0, ""),
]


def load_plans() -> dict[str, int]:
    if Project.objects.exists() or Meeting.objects.exists():
        return {}
    rng = random.Random(SEED)
    street = Region.objects.get(code="320508012000")
    communities = list(street.children.order_by("code"))
    paired = _paired_units(street)
    today = timezone.localdate()
    counts = {"projects": _projects(rng, communities, paired, today)}
    counts["services"] = _services(rng, communities, paired, today)
    counts["meetings"] = _meetings(rng, street, communities, paired)
    return counts


def _paired_units(street) -> dict[int, list[PartnerUnit]]:
    paired: dict[int, list[PartnerUnit]] = {}
    for unit in PartnerUnit.objects.filter(region=street).prefetch_related("pairings"):
        for pairing in unit.pairings.all():
            paired.setdefault(pairing.community_id, []).append(unit)
    return paired


def _claim(rng, target: dict, community, unit, kind, label, quantity, status, when=None) -> Claim:
    delivered = status == ClaimStatus.DELIVERED and when is not None
    return Claim(
        delivered_at=timezone.make_aware(datetime.combine(when, time(15))) if delivered else None,
        community=community,
        unit=unit,
        kind=kind,
        unit_label=label,
        quantity=quantity,
        status=status,
        delivered_amount=quantity if status == ClaimStatus.DELIVERED else 0,
        beneficiaries_served=rng.randint(10, 90) if status == ClaimStatus.DELIVERED else 0,
        reason=rejection_reason(quantity) if status == ClaimStatus.REJECTED else "",
        **target,
    )


def _projects(rng, communities, paired, today) -> int:
    claims = []
    count = 0
    for community in communities:
        needs = list(Need.objects.filter(community=community)[:3])
        for title, goal, (lo, hi) in rng.sample(PROJECTS, rng.randint(3, 5)):
            start = today + timedelta(days=rng.randint(-200, 30))
            status = rng.choice(
                [ProjectStatus.PLANNING, ProjectStatus.ACTIVE, ProjectStatus.ACTIVE]
                + ([ProjectStatus.DONE] if start < today - timedelta(days=90) else [])
            )
            project = Project(
                community=community,
                title=f"{community.name.removesuffix('社区')}{title}",
                goal=goal,
                budget=rng.randrange(lo, hi, 1000),
                start=start,
                end=start + timedelta(days=rng.choice([90, 180, 365])),
                status=status,
            )
            linked = rng.sample(needs, min(len(needs), rng.randint(0, 2)))
            # The street runs 87 community sub-projects (demo/service_projects.py): these
            # and the ones its meetings start. The draws go on past the cap, so the rest of
            # the demo stays as it was.
            keep = count < COMMUNITY_PROJECTS
            if keep:
                project.save()
                project.needs.set(linked)
                count += 1
            for unit in rng.sample(
                paired.get(community.pk, []), min(3, len(paired.get(community.pk, [])))
            ):
                kind = rng.choice([Kind.FUNDS, Kind.VOLUNTEERS, Kind.EQUIPMENT])
                label, amount = {
                    Kind.FUNDS: ("元", rng.randrange(2000, 20000, 500)),
                    Kind.VOLUNTEERS: ("志愿小时", rng.randint(10, 80)),
                    Kind.EQUIPMENT: ("台", rng.randint(1, 5)),
                }[kind]
                claim_status = (
                    ClaimStatus.DELIVERED
                    if status == ProjectStatus.DONE
                    else rng.choice(UNIT_CLAIM_STATES)
                )
                delivered_on = min(start + timedelta(days=rng.randint(10, 80)), today)
                claim = _claim(
                    rng,
                    {"project": project},
                    community,
                    unit,
                    kind,
                    label,
                    amount,
                    claim_status,
                    delivered_on,
                )
                if keep:
                    claims.append(claim)
    Claim.objects.bulk_create(claims)
    return count


def _services(rng, communities, paired, today) -> int:
    count = 0
    claims = []
    for community in communities:
        units = paired.get(community.pk, [])
        for title, kind, start_time, end_time in rng.sample(SERVICES, rng.randint(1, 3)):
            lead = rng.choice(units) if units else None
            service = ServiceOffer.objects.create(
                community=community,
                unit=lead,
                title=title,
                kind=kind,
                place=f"{community.name}党群服务中心",
                weekday=rng.randint(0, 5),
                start_time=start_time,
                end_time=end_time,
                capacity=rng.choice([10, 15, 20, 30]),
                description=f"{lead.name if lead else '共建单位'}为居民提供{title}。",
            )
            count += 1
            dates = weekly_dates(
                today - timedelta(weeks=8), today + timedelta(weeks=8), service.weekday
            )
            slots = ServiceSlot.objects.bulk_create(
                [ServiceSlot(service=service, date=d) for d in dates]
            )
            for slot in slots:
                if not units:
                    break
                unit = lead if lead and rng.random() < 0.7 else rng.choice(units)
                if slot.date < today:
                    status = ClaimStatus.DELIVERED
                elif rng.random() < 0.5:
                    continue  # open: waiting for a unit
                else:
                    status = rng.choice([ClaimStatus.PENDING, ClaimStatus.APPROVED])
                if status != ClaimStatus.PENDING:
                    slot.unit = unit
                    slot.save(update_fields=["unit"])
                claims.append(
                    _claim(rng, {"slot": slot}, community, unit, kind, "场", 1, status, slot.date)
                )
    Claim.objects.bulk_create(claims)
    return count


def _meetings(rng, street, communities, paired) -> int:
    admin = User.objects.get(username="jinchang")
    worker = User.objects.get(username="community")
    liaison_unit = PartnerUnit.objects.get(code="U-JC-001")  # the demo liaison's unit
    now = timezone.now()
    plan = []  # (host, starts_at)
    for quarter in range(4, 0, -1):
        plan.append((street, now - timedelta(days=91 * quarter - 60)))
    plan.append((street, now + timedelta(days=30)))
    for community in communities[:12]:
        for months_ago in (5, 3, 1):
            plan.append((community, now - timedelta(days=30 * months_ago + rng.randint(0, 9))))
        plan.append((community, now + timedelta(days=rng.randint(5, 25))))
    plan.sort(key=lambda item: item[1])
    count = 0
    for host, when in plan:
        when = timezone.make_aware(datetime.combine(when.date(), time(14, 30)))
        units = (
            [liaison_unit, *rng.sample([u for us in paired.values() for u in us], 8)]
            if host == street
            else paired.get(host.pk, [])[:6]
        )
        residents = list(
            Resident.objects.filter(grid__path__startswith=host.path).order_by("id")[:3]
        )
        kind = "街道" if host == street else "社区"
        meeting = services.meeting_create(
            actor=admin,
            host=host,
            title=f"{host.name}{when:%Y年%m月}共建联席会",
            starts_at=when,
            place=f"{host.name}党群服务中心",
            units=list(dict.fromkeys(units)),
            residents=residents,
            agenda=[f"通报{kind}共建项目进展", "听取居民意见", "研究共建单位认领事项"],
        )
        count += 1
        if when > now:
            continue
        cases = list(
            Case.objects.filter(region__path__startswith=host.path, created_at__lt=when).order_by(
                "-created_at"
            )[:2]
        )
        for case in cases:
            services.opinion_add(actor=admin, meeting=meeting, case=case)
        services.opinion_add(actor=admin, meeting=meeting, note=rng.choice(OPINION_NOTES))
        target_communities = [host] if host != street else rng.sample(communities, 2)
        for community in target_communities:
            text, action, need_kind, amount, label = rng.choice(RESOLUTIONS)
            owner = worker if community.code == "320508012001" else admin
            services.resolution_add(
                actor=admin,
                meeting=meeting,
                text=text,
                kind=action,
                owner=owner,
                deadline=when.date() + timedelta(days=rng.choice([30, 45, 60])),
                community=community,
                need_kind=need_kind or "",
                quantity=amount,
                unit_label=label,
                budget=amount,
            )
        invitees = list(meeting.invitees.values_list("pk", flat=True))
        services.meeting_record(
            actor=admin,
            meeting=meeting,
            minutes=(
                f"会议由{host.name}召集,{len(invitees)} 方参会。会议通报了共建项目进展,"
                f"听取了居民意见 {len(cases) + 1} 条,研究形成决议 {len(target_communities)} 项,"
                "明确了责任人和完成时限。"
            ),
            attended={pk for pk in invitees if rng.random() < 0.85},
        )
        # Some action items are finished by the next meeting; the rest are carried over.
        for resolution in meeting.resolutions.select_related("project", "case", "need"):
            if rng.random() < 0.5:
                if resolution.project:
                    Project.objects.filter(pk=resolution.project.pk).update(
                        status=ProjectStatus.DONE
                    )
                elif resolution.need:
                    need = resolution.need
                    Need.objects.filter(pk=need.pk).update(filled=need.quantity, status="filled")
                # A case goes on through the request loop like any other.
    return count
