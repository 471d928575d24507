"""Demo party members' life (党员生活), as on the newspaper page: the winter training
(党员冬训) of 金阊街道's party organisations held through the winter with attendance and
self-study; 仁安社区's study corner at 仁安驿站 with red books borrowed through the
station's lending and members' reflections on the wall; 夏家桥社区's Lantern Festival
session (冬训润民俗 · 元宵猜灯谜); 元和街道's winter-training practice class that became its
shop fire-safety round; 苏锦街道's 社情民意联系日. Loaded once, with bulk inserts."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from genxi.inspections.models import Round
from genxi.orgs.models import PartyLevel, PartyMember, PartyOrg
from genxi.partylife.models import (
    Attendance,
    AttendanceStatus,
    ContactDay,
    ContactNote,
    PracticeLink,
    SessionKind,
    StudyEntry,
    StudyReflection,
    TrainingPlan,
    TrainingSession,
)
from genxi.regions.models import Region
from genxi.stations.models import Book, BookCopy, BookLoan, ReflectionStatus, Station

SEED = 2026
YEAR = 2026  # the winter of 2025–26: December to March, all held
JINCHANG = "320508012000"
RENAN = "320508013002"
XIAJIAQIAO_NAME = "夏家桥社区"
YUANHE = "320507001000"
SUJIN = "320508011000"
# (month, day, topic, kind, minutes, place)
WINTER = [
    (12, 6, "学习党的二十届四中全会精神", SessionKind.STUDY, 120, "社区党群服务中心"),
    (12, 20, "党章党规专题学习", SessionKind.STUDY, 90, "社区党群服务中心"),
    (1, 10, "“有困难找海棠先锋”服务经验交流", SessionKind.DISCUSSION, 90, "社区会议室"),
    (1, 24, "冬训实践课堂:走访独居老人", SessionKind.PRACTICE, 150, "网格内"),
    (2, 28, "主题党日:重温入党誓词", SessionKind.THEME_DAY, 90, "社区党群服务中心"),
]
RED_BOOKS = [
    ("习近平谈治国理政(第四卷)", "习近平"),
    ("中国共产党简史", "本书编写组"),
    ("红岩", "罗广斌、杨益言"),
    ("可爱的中国", "方志敏"),
    ("苦难辉煌", "金一南"),
]
REFLECTIONS = [
    "读《可爱的中国》,更懂得今天的好日子来之不易。",
    "冬训课上重温入党誓词,初心不改,要把居民的小事当大事办。",
    "在驿站借书学习很方便,下班路上就能读上几页。",
    "学了党章,知道了身边的先锋怎样做才合格。",
]
NOTES = [
    "6幢楼道堆放杂物,老人下楼不方便",
    "居民希望小区增加电动车充电桩",
    "路灯晚上不亮,夜里回家不安全",
]


def _at(month: int, day: int, hour: int = 14) -> datetime:
    year = YEAR - 1 if month >= 9 else YEAR
    return timezone.make_aware(datetime.combine(date(year, month, day), time(hour, 0)))


def _plan(org: PartyOrg, title: str) -> TrainingPlan:
    return TrainingPlan.objects.create(org=org, year=YEAR, title=title)


def _hold(sessions: list[TrainingSession], members: list[PartyMember], rng: random.Random) -> int:
    """Attendance for each held session: mostly present, some on leave or absent."""
    rows = []
    for s in sessions:
        for m in members:
            roll = rng.random()
            status = (
                AttendanceStatus.PRESENT
                if roll < 0.85
                else AttendanceStatus.LEAVE
                if roll < 0.95
                else AttendanceStatus.ABSENT
            )
            rows.append(Attendance(session=s, member=m, status=status))
    Attendance.objects.bulk_create(rows)
    return len(rows)


def _winter(
    org: PartyOrg, members: list[PartyMember], rng: random.Random, place: str = ""
) -> list[TrainingSession]:
    plan = _plan(org, f"{org.name}{YEAR}年度党员冬训计划")
    sessions = TrainingSession.objects.bulk_create(
        TrainingSession(
            plan=plan,
            topic=topic,
            kind=kind,
            starts_at=_at(m, d),
            minutes=minutes,
            place=place or where,
            held_at=_at(m, d, 17),
        )
        for m, d, topic, kind, minutes, where in WINTER
    )
    _hold(sessions, members, rng)
    StudyEntry.objects.bulk_create(
        StudyEntry(
            member=mb,
            day=_at(1, 3 + i % 25).date(),
            minutes=rng.choice([30, 45, 60]),
            note=rng.choice(["自学党章", "“学习强国”专题学习", "阅读红色书籍"]),
        )
        for i, mb in enumerate(members)
        if rng.random() < 0.6
    )
    return sessions


def load_partylife() -> dict[str, int]:
    if TrainingPlan.objects.exists():
        return {}
    rng = random.Random(SEED)
    counts = {"training_plans": 0, "training_sessions": 0, "study_reflections": 0}

    # 金阊街道: the street 大工委's plan, and each community's 大党委 and grid branches'.
    jinchang = Region.objects.get(code=JINCHANG)
    orgs = list(
        PartyOrg.objects.filter(region__path__startswith=jinchang.path)
        .exclude(level=PartyLevel.REGIONAL_COMMITTEE)
        .order_by("region__path", "id")
    )
    members_of: dict[int, list[PartyMember]] = {}
    for m in PartyMember.objects.filter(org__in=orgs).order_by("id"):
        members_of.setdefault(m.org_id, []).append(m)
    for org in orgs:
        members = members_of.get(org.pk, [])
        if not members:
            continue
        counts["training_sessions"] += len(_winter(org, members, rng))
        counts["training_plans"] += 1

    # 仁安社区: the study corner at 仁安驿站 — red books lent through the station's register,
    # sessions reading them, and members' reflections.
    renan = Region.objects.get(code=RENAN)
    committee = PartyOrg.objects.filter(region=renan, level=PartyLevel.COMMUNITY_COMMITTEE).first()
    station = Station.objects.filter(community=renan).first()
    if committee is not None:
        members = list(PartyMember.objects.filter(org=committee).order_by("id"))
        if not members:
            members = PartyMember.objects.bulk_create(
                PartyMember(org=committee, name=n, position=p)
                for n, p in [
                    ("周秀英", "书记"),
                    ("陈国平", "委员"),
                    ("吴丽华", "党员"),
                    ("郑建明", "党员"),
                ]
            )
        sessions = _winter(committee, members, rng, place="仁安驿站党员学习角")
        counts["training_plans"] += 1
        counts["training_sessions"] += len(sessions)
        if station is not None:
            books = Book.objects.bulk_create(
                Book(station=station, title=t, author=a) for t, a in RED_BOOKS
            )
            copies = BookCopy.objects.bulk_create(BookCopy(book=b, number=1) for b in books)
            for s in sessions[:2]:
                s.books.set(books[:3])
            BookLoan.objects.bulk_create(
                BookLoan(
                    copy=c,
                    borrower=m.name,
                    lent_at=_at(12, 8 + i),
                    due=_at(1, 8 + i).date(),
                    returned_at=_at(12, 28) if i % 2 else None,
                )
                for i, (c, m) in enumerate(zip(copies, members * 2, strict=False))
            )
        StudyReflection.objects.bulk_create(
            StudyReflection(
                member=members[i % len(members)],
                session=sessions[i % len(sessions)],
                text=text,
                status=ReflectionStatus.APPROVED if i < 3 else ReflectionStatus.PENDING,
            )
            for i, text in enumerate(REFLECTIONS)
        )
        counts["study_reflections"] += len(REFLECTIONS)

    # 夏家桥社区: winter training mixed with the Lantern Festival.
    xjq = PartyOrg.objects.filter(
        region__name=XIAJIAQIAO_NAME, level=PartyLevel.COMMUNITY_COMMITTEE
    ).first()
    if xjq is not None:
        members = list(PartyMember.objects.filter(org=xjq).order_by("id"))
        plan = _plan(xjq, f"{xjq.name}{YEAR}年度党员冬训计划")
        lantern = TrainingSession.objects.create(
            plan=plan,
            topic="冬训润民俗:元宵猜灯谜、包汤圆",
            kind=SessionKind.THEME_DAY,
            starts_at=_at(3, 3, 18),
            minutes=120,
            place="夏家桥社区党群服务中心",
            materials="灯谜 120 条(党史知识、廉洁文化),汤圆馅料由共建单位提供。",
            held_at=_at(3, 3, 21),
        )
        _hold([lantern], members, rng)
        counts["training_plans"] += 1
        counts["training_sessions"] += 1

    # 元和街道: the winter-training practice class that became the shop fire-safety round.
    yuanhe = Region.objects.get(code=YUANHE)
    top = PartyOrg.objects.filter(region=yuanhe, level=PartyLevel.STREET_COMMITTEE).first()
    fire = Round.objects.filter(street=yuanhe, title="沿街商铺消防安全排查").first()
    if top is not None:
        members = list(PartyMember.objects.filter(org=top).order_by("id")) or list(
            PartyMember.objects.bulk_create(
                PartyMember(org=top, name=n, position=p)
                for n, p in [
                    ("顾建华", "街道党工委委员"),
                    ("蒋美玲", "安全办党员"),
                    ("陆晓东", "网格党员"),
                ]
            )
        )
        plan = _plan(top, f"{top.name}{YEAR}年度党员冬训计划")
        practice = TrainingSession.objects.create(
            plan=plan,
            topic="冬训实践课堂:沿街商铺消防安全排查",
            kind=SessionKind.PRACTICE,
            starts_at=_at(1, 15, 9),
            minutes=180,
            place="晨曦馨苑、湖沁、娄北、康桥花园沿街商铺",
            held_at=_at(1, 15, 12),
        )
        _hold([practice], members, rng)
        if fire is not None:
            PracticeLink.objects.create(
                session=practice,
                content_type=ContentType.objects.get_for_model(Round),
                object_id=fire.pk,
                label=f"检查轮次:{fire.title}",
            )
        counts["training_plans"] += 1
        counts["training_sessions"] += 1

    # 苏锦街道: cadres and members at the communities on the contact day (every month's 15th).
    sujin = Region.objects.get(code=SUJIN)
    top = PartyOrg.objects.filter(region=sujin, level=PartyLevel.STREET_COMMITTEE).first()
    if top is not None:
        cadres = list(PartyMember.objects.filter(org=top).order_by("id")[:3])
        if not cadres:
            cadres = PartyMember.objects.bulk_create(
                PartyMember(org=top, name=n, position="街道干部")
                for n in ("沈志强", "钱丽娟", "孙海东")
            )
        days = ContactDay.objects.bulk_create(
            ContactDay(
                org=top,
                community=community,
                member=cadres[i % len(cadres)],
                day=timezone.localdate().replace(day=15) - timedelta(days=30 * (i // 3)),
                place="社区党群服务中心",
            )
            for i, community in enumerate(sujin.children.order_by("code")[:3])
        )
        ContactNote.objects.bulk_create(
            ContactNote(day=d, text=text) for d, text in zip(days, NOTES, strict=False)
        )
        counts["contact_days"] = len(days)
    return counts
