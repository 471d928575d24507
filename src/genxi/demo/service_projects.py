"""Demo service projects of 金阊街道, as on the newspaper page: the “海棠连心千家万户”
series — 3 street projects, 87 community sub-projects under them (the co-building
projects the demo already has, topped up) and 29 resident-led micro-projects (plus a few
proposals waiting for the community and two it declined) — with milestones, spending and
photos-free progress, all scored under the default five-good standard for 2026年度.
Bulk-created, loaded once."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from genxi.cobuild.domain import evaluation as rules
from genxi.cobuild.models import (
    Criterion,
    Evaluation,
    Milestone,
    Project,
    ProjectStatus,
    Score,
    Spending,
    Stage,
    Standard,
    StandardVersion,
    Tier,
)
from genxi.people.models import User
from genxi.regions.models import Region

from .names import mobile, person_name

SEED = 1111
STREET_CODE = "320508012000"
SUB_PROJECTS, MICRO_PROJECTS = 87, 29
PERIOD = "2026年度"
SERIES = [
    (
        "海棠连心千家万户·一老一小关爱行动",
        "助餐、探访、适老化改造和“四点半课堂”,照顾好老人和孩子。",
        600000,
    ),
    (
        "海棠连心千家万户·邻里和美共建行动",
        "口袋公园、楼道微更新和邻里节,把小区建成大家的家园。",
        800000,
    ),
    (
        "海棠连心千家万户·便民惠民服务行动",
        "驿站、义诊、法律咨询和维修,让服务走到居民家门口。",
        500000,
    ),
]
MICRO = [
    ("楼道加装扶手", "为高龄老人集中的楼栋加装楼道扶手"),
    ("共享雨伞角", "在小区门岗设共享雨伞,雨天借还"),
    ("旧衣回收点", "设置旧衣回收箱,整理后捐给困难家庭"),
    ("小区阅读角", "在架空层布置书架和座椅,居民捐书共读"),
    ("电动车充电棚", "增设集中充电棚,杜绝飞线充电"),
    ("邻里互助菜园", "把闲置绿地改成认领菜园,老人带孩子种菜"),
    ("暖心早餐车", "为环卫工人和外卖骑手提供早餐"),
    ("宠物文明角", "设置拾便袋和宠物便溺收集点"),
    ("楼道照明改造", "更换声控灯,老人夜间出行更安全"),
    ("健身器材维修", "修缮小区健身器材,加装防滑垫"),
    ("独居老人一键呼", "为独居老人安装一键呼叫器"),
    ("亲子手工坊", "周末亲子手工活动,居民志愿者授课"),
]
DECLINE_REASONS = ["小区已有同类服务,建议参与现有项目。", "涉及公共部位改造,需先征求全体业主意见。"]


def load_service_projects() -> dict[str, int]:
    street = Region.objects.filter(code=STREET_CODE).first()
    if street is None or Project.objects.filter(tier=Tier.STREET, community=street).exists():
        return {}
    rng = random.Random(SEED)
    today = timezone.localdate()
    owner = User.objects.filter(username="jinchang").first()
    communities = list(street.children.order_by("code"))
    parents = Project.objects.bulk_create(
        Project(
            community=street,
            tier=Tier.STREET,
            owner=owner,
            title=title,
            goal=goal,
            budget=budget,
            beneficiaries=rng.randint(8000, 20000),
            start=today.replace(month=1, day=1),
            end=today.replace(month=12, day=31),
            status=ProjectStatus.ACTIVE,
            progress=rng.randint(55, 80),
        )
        for title, goal, budget in SERIES
    )
    subs = _sub_projects(rng, street, communities, parents, today)
    micros = _micro_projects(rng, communities, parents, today)
    _milestones_and_spending(rng, [*parents, *micros], today)
    evaluations = _evaluate(rng, street, [*parents, *subs, *micros])
    return {
        "street_projects": len(parents),
        "sub_projects": len(subs),
        "micro_projects": len(micros),
        "evaluations": evaluations,
    }


def _sub_projects(rng, street, communities, parents, today) -> list[Project]:
    """The street's co-building projects become the series' sub-projects (the first 87,
    topped up if the demo has fewer); each goes under one of the three street projects."""
    existing = list(
        Project.objects.filter(
            tier=Tier.COMMUNITY, community__path__startswith=street.path
        ).order_by("id")[:SUB_PROJECTS]
    )
    missing = SUB_PROJECTS - len(existing)
    if missing > 0:
        existing += Project.objects.bulk_create(
            Project(
                community=communities[i % len(communities)],
                tier=Tier.COMMUNITY,
                title=f"{communities[i % len(communities)].name.removesuffix('社区')}邻里服务项目{i + 1}",
                goal="围绕居民需求开展的社区服务",
                budget=rng.randrange(5000, 50000, 1000),
                beneficiaries=rng.randint(50, 600),
                start=today - timedelta(days=rng.randint(30, 200)),
                status=ProjectStatus.ACTIVE,
                progress=rng.randint(20, 90),
            )
            for i in range(missing)
        )
    for i, parent in enumerate(parents):
        ids = [p.pk for p in existing[i :: len(parents)]]
        Project.objects.filter(pk__in=ids).update(parent=parent)
    for p in existing:
        if not p.beneficiaries:
            p.beneficiaries = rng.randint(50, 600)
        p.progress = 100 if p.status == ProjectStatus.DONE else rng.randint(10, 90)
    Project.objects.bulk_update(existing, ["beneficiaries", "progress"])
    return existing


def _micro_projects(rng, communities, parents, today) -> list[Project]:
    rows = []
    for i in range(MICRO_PROJECTS + 5):
        title, goal = MICRO[i % len(MICRO)]
        community = communities[(i * 7) % len(communities)]
        proposed = today - timedelta(days=rng.randint(20, 300))
        if i < MICRO_PROJECTS:
            status = ProjectStatus.DONE if i % 3 == 0 else ProjectStatus.ACTIVE
        else:
            status = ProjectStatus.DECLINED if i >= MICRO_PROJECTS + 3 else ProjectStatus.PROPOSED
        running = status in (ProjectStatus.ACTIVE, ProjectStatus.DONE)
        rows.append(
            Project(
                community=community,
                tier=Tier.MICRO,
                parent=parents[i % len(parents)] if running else None,
                title=f"{community.name.removesuffix('社区')}{title}",
                goal=goal,
                budget=rng.randrange(1000, 10000, 500) if running else 0,
                beneficiaries=rng.randint(20, 300),
                start=proposed + timedelta(days=14) if running else None,
                status=status,
                progress=100
                if status == ProjectStatus.DONE
                else rng.randint(20, 80)
                if running
                else 0,
                summary=(
                    f"{title}已完成,受益居民反响很好,由楼组长负责日常维护。"
                    if status == ProjectStatus.DONE
                    else ""
                ),
                proposer_name=person_name(rng),
                proposer_phone=mobile(rng),
                decline_reason=DECLINE_REASONS[i % 2] if status == ProjectStatus.DECLINED else "",
                decided_at=(
                    timezone.now() - timedelta(days=rng.randint(5, 100))
                    if status != ProjectStatus.PROPOSED
                    else None
                ),
            )
        )
    return [
        p
        for p in Project.objects.bulk_create(rows)
        if p.status != ProjectStatus.PROPOSED and p.status != ProjectStatus.DECLINED
    ]


def _milestones_and_spending(rng, projects, today) -> None:
    milestones, spendings = [], []
    for p in projects:
        start = p.start or today - timedelta(days=60)
        for j, title in enumerate(("方案确定", "采购与动员", "实施", "验收与总结")):
            due = start + timedelta(days=30 * (j + 1))
            done = p.status == ProjectStatus.DONE or (due < today and j < 2)
            milestones.append(
                Milestone(project=p, title=title, due=due, done_on=due if done else None)
            )
        for j in range(rng.randint(1, 3)):
            spendings.append(
                Spending(
                    project=p,
                    date=min(start + timedelta(days=20 * (j + 1)), today),
                    item=rng.choice(["材料采购", "志愿者保险", "宣传物料", "设备安装"]),
                    amount=max(1, p.budget // rng.randint(4, 8)),
                )
            )
    Milestone.objects.bulk_create(milestones)
    Spending.objects.bulk_create(spendings)


def _evaluate(rng, street, projects) -> int:
    standard = Standard.objects.create(street=street, name=rules.DEFAULT_NAME)
    version = StandardVersion.objects.create(standard=standard, number=1, note="默认“五好”标准")
    criteria = Criterion.objects.bulk_create(
        Criterion(
            version=version,
            position=i,
            name=spec.name,
            description=spec.description,
            evidence=spec.evidence,
            weight=spec.weight,
        )
        for i, spec in enumerate(rules.DEFAULT_CRITERIA, start=1)
    )
    evaluations, plans = [], []
    for n, p in enumerate(projects):
        base = rng.choice([3, 4, 4, 4, 5, 5])
        street_scores = [max(1, min(5, base + rng.choice([-1, 0, 0, 1]))) for _ in criteria]
        stages = (
            [Stage.SELF, Stage.STREET]
            if p.tier == Tier.STREET
            else [Stage.SELF, Stage.COMMUNITY, Stage.STREET]
        )
        done = n % 10 != 9  # a tenth still in review
        given = stages if done else stages[:-1]
        evaluations.append(
            Evaluation(
                project=p,
                version=version,
                period=PERIOD,
                stage=Stage.DONE if done else stages[-1],
                total=rules.weighted_total(
                    [(c.weight, s) for c, s in zip(criteria, street_scores, strict=True)]
                ),
            )
        )
        plans.append((given, street_scores))
    evaluations = Evaluation.objects.bulk_create(evaluations)
    scores = []
    for evaluation, (given, street_scores) in zip(evaluations, plans, strict=True):
        for stage in given:
            for c, s in zip(criteria, street_scores, strict=True):
                own = min(5, s + (1 if stage == Stage.SELF and rng.random() < 0.3 else 0))
                scores.append(
                    Score(
                        evaluation=evaluation,
                        criterion=c,
                        stage=stage,
                        score=own,
                        evidence=rng.choice(
                            ["台账齐全,照片和签到表已归档", "居民回访满意", "服务人次达到计划"]
                        ),
                        figure=f"服务 {rng.randint(50, 900)} 人次",
                        rating=Decimal(rng.randint(380, 500)) / 100 if c.position == 4 else None,
                    )
                )
    Score.objects.bulk_create(scores)
    return len(evaluations)
