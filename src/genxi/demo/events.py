"""Demo weekend community (周末社区), as on the newspaper page: in every community of
金阊街道 a plan every month, a theme every week and events every weekend, for a year back
and a month ahead — with registrations (some waiting, some cancelled), check-ins and no-shows,
volunteer rosters of the community's pioneers, summaries, and the winter drive of scarves and
gloves with its counted materials. Loaded once, with bulk inserts and no per-row audit."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from genxi.core import pii
from genxi.events.domain.calendar import month_start, next_month, weekends
from genxi.events.models import (
    Event,
    EventStatus,
    Material,
    MonthPlan,
    PlanStatus,
    Registration,
    RegistrationStatus,
    RosterEntry,
    RosterRole,
    WeekTheme,
)
from genxi.people.models import Pioneer, User
from genxi.regions.models import Region

from .names import mobile, person_name

SEED = 1111
# Registrations are kept one by one (name, phone, check-in) for the last weeks and the weeks
# ahead; older events keep their summary's figures only (a cheap demo).
DETAILED_DAYS = 56
STREET = "320508012000"  # 金阊街道
CODE_LETTERS = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
THEMES = [
    "敬老孝亲周",
    "平安守护周",
    "邻里互助周",
    "文明实践周",
    "绿色环保周",
    "健康生活周",
    "法治宣传周",
    "亲子成长周",
]
# (title, place, audience, capacity, hour, hours long)
KINDS = [
    ("海棠连心·为老理发", "社区党群服务中心", ["elderly"], 20, 9, 2),
    ("周末课堂·亲子手工", "社区活动室", ["children", "families"], 24, 14, 2),
    ("义诊进社区", "社区卫生服务站门口", ["elderly", "everyone"], 40, 9, 3),
    ("防诈骗知识讲座", "社区多功能厅", ["everyone"], 50, 15, 1),
    ("垃圾分类小课堂", "小区广场", ["children", "everyone"], 30, 10, 2),
    ("家电义务维修", "小区广场", ["everyone"], 30, 9, 3),
    ("邻里百家宴", "社区活动室", ["elderly", "families"], 36, 11, 2),
    ("四点半课堂·作业辅导", "社区图书室", ["children"], 15, 16, 2),
    ("新市民融入沙龙", "社区多功能厅", ["new_residents"], 25, 14, 2),
]
WINTER = ("冬日暖心·围巾手套送温暖", "社区党群服务中心", ["elderly", "disabled"], 60, 9, 3)
SUMMARIES = [
    "活动顺利开展,居民反响热烈。",
    "志愿者分工明确,现场秩序良好。",
    "部分报名居民因天气未到,已电话回访。",
    "居民提出希望每月举办一次,已列入下月计划。",
]


def venue(community: str, place: str) -> str:
    """Where an event is, as a resident reads it: 彩香一村社区 + 社区活动室 is the community's
    own room, 彩香一村社区活动室 (社区 said once), 彩香一村社区 + 小区广场 stays as it is."""
    if community.endswith("社区"):
        place = place.removeprefix("社区")
    return f"{community}{place}"


def _code(rng: random.Random) -> str:
    return "".join(rng.choice(CODE_LETTERS) for _ in range(8))


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


EVENT_REASONS = (
    "气象台发布暴雨预警,为安全起见取消",
    "活动室临时用作居民议事会会场",
    "合作单位的讲师临时无法到场,另行安排",
)
STAFF_REASONS = (
    "同一位居民重复报名",
    "居民来电说临时有事,请工作人员代为取消",
    "报名年龄不符合本次活动要求",
)


def _registrations(
    rng: random.Random, event: Event, done: bool, used: set[str], regs: list[Registration]
) -> int:
    """The event's registrations in arrival order: places, then the waiting list; a few
    cancelled; most of those with a place checked in once it is over. Answers the check-ins."""
    full = rng.random() < 0.17  # one in six fills up and has a waiting list
    demand = (
        event.capacity + rng.randint(1, 5)
        if full
        else max(3, round(event.capacity * rng.uniform(0.25, 0.6)))
    )
    taken = checked = 0
    for seq in range(1, demand + 1):
        code = _code(rng)
        while code in used:
            code = _code(rng)
        used.add(code)
        phone = mobile(rng)
        status = (
            RegistrationStatus.REGISTERED
            if taken < event.capacity
            else RegistrationStatus.WAITLISTED
        )
        cancelled = rng.random() < 0.05
        if cancelled:
            status = RegistrationStatus.CANCELLED
        elif status == RegistrationStatus.REGISTERED:
            taken += 1
        came = done and status == RegistrationStatus.REGISTERED and rng.random() < 0.85
        checked += came
        regs.append(
            Registration(
                event=event,
                seq=seq,
                name=person_name(rng),
                phone=phone,
                phone_digest=pii.digest(phone),
                status=status,
                code=code,
                checked_in_at=event.starts_at + timedelta(minutes=rng.randint(-15, 20))
                if came
                else None,
                cancelled_at=event.starts_at - timedelta(days=1) if cancelled else None,
                # every other cancellation by the staff, who said why (no draw: the
                # random stream, and so the rest of the demo, stays as it was)
                cancel_reason=STAFF_REASONS[seq % len(STAFF_REASONS)]
                if cancelled and seq % 2
                else "",
            )
        )
    return checked


def load_events() -> dict[str, int]:
    if Event.objects.exists() or not Region.objects.filter(code=STREET).exists():
        return {}
    rng = random.Random(SEED)
    street = Region.objects.get(code=STREET)
    communities = list(street.children.order_by("code"))
    today = timezone.localdate()
    now = timezone.now()
    first = month_start(today - timedelta(days=365))
    months = []
    m = first
    while m <= month_start(today + timedelta(days=31)):
        months.append(m)
        m = next_month(m)
    organiser = User.objects.filter(username="community").first()
    pioneers: dict[int | None, list[int]] = {}
    for pk, community_id in Pioneer.objects.filter(
        grid__parent__in=communities, active=True
    ).values_list("pk", "grid__parent"):
        pioneers.setdefault(community_id, []).append(pk)

    plans, themes, events = [], [], []
    for community in communities:
        for month in months:
            published = month <= month_start(today)
            plans.append(
                MonthPlan(
                    community=community,
                    month=month,
                    title=f"{community.name}{month.month}月周末社区计划",
                    notes="每周一个主题,每个周末一场活动,欢迎居民报名参加。",
                    status=PlanStatus.PUBLISHED if published else PlanStatus.DRAFT,
                    published_at=_at(month - timedelta(days=3), 10) if published else None,
                )
            )
            for day in weekends(month):
                if day.weekday() != 5 and rng.random() < 0.85:
                    continue  # Saturdays always; a Sunday now and then
                winter = day.month in (12, 1) and day.weekday() == 5
                title, place, audience, capacity, hour, length = (
                    WINTER if winter else rng.choice(KINDS)
                )
                starts = _at(day, hour)
                ends = starts + timedelta(hours=length)
                status = EventStatus.DONE if ends < now else EventStatus.PUBLISHED
                if ends >= now and month > month_start(today):
                    status = EventStatus.DRAFT  # next month's plan is still a draft
                # The last two weekends of 彩香一村 wait for their summary (the workbench).
                if status == EventStatus.DONE and now - ends < timedelta(days=10):
                    status = EventStatus.PUBLISHED
                if status == EventStatus.DONE and rng.random() < 0.03:
                    status = EventStatus.CANCELLED
                events.append(
                    Event(
                        community=community,
                        title=title,
                        place=venue(community.name, place),
                        description=f"{title}:{community.name}周末社区活动,请提前报名。",
                        starts_at=starts,
                        ends_at=ends,
                        capacity=capacity,
                        audience=audience,
                        organiser=organiser if community.code == "320508012001" else None,
                        status=status,
                        cancel_reason=EVENT_REASONS[starts.day % len(EVENT_REASONS)]
                        if status == EventStatus.CANCELLED
                        else "",
                    )
                )
    MonthPlan.objects.bulk_create(plans, batch_size=500)
    for plan in plans:
        for i, day in enumerate(d for d in weekends(plan.month) if d.weekday() == 5):
            monday = day - timedelta(days=5)
            themes.append(
                WeekTheme(plan=plan, week_start=monday, theme=THEMES[(plan.month.month + i) % 8])
            )
    WeekTheme.objects.bulk_create(themes, batch_size=1000, ignore_conflicts=True)
    regs: list[Registration] = []
    roster: list[RosterEntry] = []
    materials: list[Material] = []
    used: set[str] = set()
    detailed_since = now - timedelta(days=DETAILED_DAYS)
    for event in events:
        if event.status == EventStatus.DRAFT:
            continue
        done = event.status == EventStatus.DONE
        checked = 0
        if event.starts_at >= detailed_since:
            checked = _registrations(rng, event, done, used, regs)
        elif done:
            checked = round(event.capacity * rng.uniform(0.3, 0.9))
        if done:
            event.attendance = checked + rng.randint(0, 5)  # walk-ins
            event.served = event.attendance + rng.randint(0, 20)
            event.summary = rng.choice(SUMMARIES)
            event.summarised_at = event.ends_at + timedelta(hours=3)
        mine = pioneers.get(event.community_id, [])
        for pioneer_id, role in zip(
            rng.sample(mine, min(len(mine), rng.randint(2, 4))),
            [RosterRole.LEAD, RosterRole.CHECK_IN, RosterRole.GUIDE, RosterRole.SERVICE],
            strict=False,
        ):
            roster.append(RosterEntry(event=event, pioneer_id=pioneer_id, role=role))
        if event.title == WINTER[0] and done:
            scarves = rng.randint(40, 60)
            materials += [
                Material(event=event, name="围巾", unit="条", quantity=scarves),
                Material(
                    event=event, name="手套", unit="副", quantity=scarves + rng.randint(0, 10)
                ),
            ]
        elif done and "义诊" in event.title:
            materials.append(
                Material(event=event, name="健康手册", unit="本", quantity=rng.randint(30, 60))
            )
    Event.objects.bulk_create(events, batch_size=500)
    Registration.objects.bulk_create(regs, batch_size=2000)
    RosterEntry.objects.bulk_create(roster, batch_size=2000)
    Material.objects.bulk_create(materials, batch_size=1000)
    return {
        "month_plans": len(plans),
        "events": len(events),
        "registrations": len(regs),
        "roster": len(roster),
        "materials": len(materials),
    }
