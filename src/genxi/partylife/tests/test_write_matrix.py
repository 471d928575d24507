"""The write matrix of party members' life (core/testing/write_matrix.py): every page that
takes a POST, for every role, inside street A and in street B. The place's staff (street
admin, community worker over a community's 大党委) write; everyone else does not see the
organisation (members are personal data: only the roles that see residents, and a grid
worker only its grid's branch)."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from genxi.core.testing.matrix import ActMatrix, CreateMatrix
from genxi.core.testing.write_matrix import Ctx, Write, assert_declared, counts, fields, ok
from genxi.events.tests.helpers import event as make_event
from genxi.orgs.models import PartyLevel, PartyOrg
from genxi.partylife import services
from genxi.partylife.models import (
    ContactDay,
    ContactNote,
    PracticeLink,
    StudyEntry,
    StudyReflection,
    TrainingPlan,
    TrainingSession,
)
from genxi.stations.services import books as book_services
from genxi.stations.services import stations as station_services

STAFF = {"street": ok(302), "community": ok(302)}


def _org(ctx: Ctx) -> PartyOrg:
    org = PartyOrg.objects.create(
        level=PartyLevel.COMMUNITY_COMMITTEE,
        name=f"大党委{ctx.side}{ctx.role}",
        region=ctx.community,
    )
    ctx.extra["members"] = [
        services.member_create(actor=ctx.staff, org=org, name=f"党员{i}") for i in range(2)
    ]
    return org


def _plan(ctx: Ctx) -> TrainingPlan:
    return services.plan_create(actor=ctx.staff, org=_org(ctx), year=2026, title="冬训计划")


def _session(ctx: Ctx, kind: str = "study") -> TrainingSession:
    return services.session_create(
        actor=ctx.staff,
        plan=_plan(ctx),
        topic="学习",
        kind=kind,
        starts_at=timezone.now() - timedelta(hours=2),
        minutes=90,
    )


def _practice(ctx: Ctx) -> TrainingSession:
    session = _session(ctx, "practice")
    ctx.extra["event"] = make_event(ctx.world, community=ctx.community, actor=ctx.staff)
    return session


def _with_book(ctx: Ctx) -> TrainingSession:
    session = _session(ctx)
    station = station_services.station_create(
        actor=ctx.staff,
        community=ctx.community,
        name=f"驿站{ctx.side}{ctx.role}",
        lat=ctx.point[0],
        lon=ctx.point[1],
        address="驿站路1号",
    )
    ctx.extra["book"] = book_services.book_add(actor=ctx.staff, station=station, title="红色书籍")
    return session


def _reflection(ctx: Ctx) -> StudyReflection:
    _org(ctx)
    return services.reflection_create(actor=ctx.staff, member=ctx.extra["members"][0], text="感悟")


def _day(ctx: Ctx) -> ContactDay:
    org = _org(ctx)
    return services.contact_day_create(
        actor=ctx.staff,
        org=org,
        community=ctx.community,
        member=ctx.extra["members"][0],
        day=timezone.localdate(),
    )


def _books_of(ctx: Ctx) -> list[int]:
    return list(ctx.target.books.values_list("pk", flat=True))


WRITES = [
    Write(
        "training_plan.create",
        route="partylife:plan_new",
        make=_org,
        url=lambda ctx: reverse("partylife:plan_new", args=[ctx.target.pk]),
        data=lambda ctx: {"year": 2026, "title": "冬训计划"},
        watch=counts(TrainingPlan),
        inside=STAFF,
    ),
    Write(
        "study_entry.create",
        route="partylife:study_new",
        make=_org,
        url=lambda ctx: reverse("partylife:study_new", args=[ctx.target.pk]),
        data=lambda ctx: {
            "member": ctx.extra["members"][0].pk,
            "day": timezone.localdate().isoformat(),
            "minutes": 30,
            "note": "自学党章",
        },
        watch=counts(StudyEntry),
        inside=STAFF,
    ),
    Write(
        "contact_day.create",
        route="partylife:contact_day_new",
        make=_org,
        url=lambda ctx: reverse("partylife:contact_day_new", args=[ctx.target.pk]),
        data=lambda ctx: {
            "community": ctx.community.pk,
            "member": ctx.extra["members"][0].pk,
            "day": timezone.localdate().isoformat(),
        },
        watch=counts(ContactDay),
        inside=STAFF,
    ),
    Write(
        "training_session.create",
        route="partylife:session_new",
        make=_plan,
        url=lambda ctx: reverse("partylife:session_new", args=[ctx.target.pk]),
        data=lambda ctx: {
            "topic": "主题党日",
            "kind": "theme_day",
            "starts_at": "2026-12-20T14:00",
            "minutes": 90,
        },
        watch=counts(TrainingSession),
        inside=STAFF,
    ),
    Write(
        "training_session.attendance",
        route="partylife:attendance",
        make=_session,
        url=lambda ctx: reverse("partylife:attendance", args=[ctx.target.pk]),
        data=lambda ctx: {f"m{m.pk}": "present" for m in ctx.extra["members"]},
        watch=fields("held_at"),
        inside=STAFF,
    ),
    Write(
        "practice_link.create",
        route="partylife:practice",
        make=_practice,
        url=lambda ctx: reverse("partylife:practice", args=[ctx.target.pk]),
        data=lambda ctx: {"kind": "event", "target": ctx.extra["event"].pk},
        watch=counts(PracticeLink),
        inside=STAFF,
    ),
    Write(
        "training_session.books",
        route="partylife:books",
        make=_with_book,
        url=lambda ctx: reverse("partylife:books", args=[ctx.target.pk]),
        data=lambda ctx: {"books": [ctx.extra["book"].pk]},
        watch=fields("held_at", also=_books_of),
        inside=STAFF,
    ),
    Write(
        "study_reflection.create",
        route="partylife:reflection_new",
        make=_session,
        url=lambda ctx: reverse("partylife:reflection_new", args=[ctx.target.pk]),
        data=lambda ctx: {"member": ctx.extra["members"][0].pk, "text": "学习感悟"},
        watch=counts(StudyReflection),
        inside=STAFF,
    ),
    Write(
        "study_reflection.approve",
        route="partylife:reflection_act",
        make=_reflection,
        url=lambda ctx: reverse("partylife:reflection_act", args=[ctx.target.pk]),
        data=lambda ctx: {"approve": "1"},
        watch=fields("status"),
        inside=STAFF,
    ),
    Write(
        "contact_note.create",
        route="partylife:contact_note",
        make=_day,
        url=lambda ctx: reverse("partylife:contact_note", args=[ctx.target.pk]),
        data=lambda ctx: {"text": "居民反映楼道灯坏了"},
        watch=counts(ContactNote),
        inside=STAFF,
    ),
]


class TestWrites(CreateMatrix, ActMatrix):
    writes = WRITES


def test_every_write_is_declared():
    assert_declared("genxi.partylife", WRITES)
