"""The write matrix of the weekend community (core/testing/write_matrix.py): planning a
month and publishing it, creating an event, and every step on an event's page (代报名,
roster, materials, summary, cancel, publish, giving a place back, check-in) — for every
role, inside street A and in street B — and the residents' public registration and
cancellation, which anyone with the link may make; and the API's two writes."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from genxi.core.testing.matrix import ActMatrix, CreateMatrix
from genxi.core.testing.write_matrix import (
    API,
    PUBLIC,
    Ctx,
    Write,
    assert_declared,
    counts,
    fields,
    no,
    ok,
)
from genxi.events import services
from genxi.events.models import Event, Material, MonthPlan, Registration, RosterEntry
from genxi.people.models import Pioneer

REFUSED = no(403)
NOT_A_CHOICE = no(400)
STAFF = {"street": ok(302), "community": ok(302)}
# Who sees the event but does not run it: the system admin, the department officer and the
# grid worker of its community.
RUNNERS = STAFF | {"system_admin": REFUSED, "department": REFUSED, "grid": REFUSED}


def _event(ctx: Ctx, *, draft: bool = False, past: bool = False) -> Event:
    starts = timezone.now() + (timedelta(hours=-3) if past else timedelta(days=2))
    return services.event_create(
        actor=ctx.staff,
        community=ctx.community,
        title=f"活动{ctx.role}",
        starts_at=starts,
        ends_at=starts + timedelta(hours=4),
        capacity=1,
        draft=draft,
    )


def _registered(ctx: Ctx) -> Event:
    event = _event(ctx)
    ctx.extra["reg"] = services.register(actor=None, event=event, name="居民", phone="13700001111")
    return event


def _pioneer(ctx: Ctx) -> Pioneer:
    return Pioneer.objects.create(
        code=f"P-{ctx.side}-{ctx.role}",
        name="先锋",
        grid=ctx.grid,
        kind="party_member",
        phone="13900005678",
    )


def _with_pioneer(ctx: Ctx) -> Event:
    ctx.extra["pioneer"] = _pioneer(ctx)
    return _event(ctx)


def _with_roster(ctx: Ctx) -> Event:
    event = _event(ctx)
    ctx.extra["entry"] = services.roster_join(
        actor=ctx.staff, event=event, role="guide", pioneer=_pioneer(ctx)
    )
    return event


def _plan(ctx: Ctx) -> MonthPlan:
    return services.plan_save(
        actor=ctx.staff, community=ctx.community, month=timezone.localdate(), title="计划"
    )


def _act(action: str):
    return lambda ctx: reverse("events:act", args=[ctx.target.pk, action])


def _statuses(ctx: Ctx) -> tuple:
    return tuple(Registration.objects.order_by("pk").values_list("status", "checked_in_at"))


def _event_data(ctx: Ctx) -> dict:
    starts = timezone.localtime() + timedelta(days=3)
    return {
        "community": ctx.target.pk,
        "title": "新活动",
        "starts_at": f"{starts:%Y-%m-%dT09:00}",
        "ends_at": f"{starts:%Y-%m-%dT11:00}",
        "capacity": 20,
        "audience": ["elderly"],
    }


def _api_event(ctx: Ctx) -> dict:
    starts = timezone.localtime() + timedelta(days=3)
    return {
        "title": "新活动",
        "community": ctx.target.code,
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
        "capacity": 5,
    }


WRITES = [
    Write(
        "plan.save",
        route="events:plan_edit",
        make=lambda ctx: ctx.community,
        url=lambda ctx: reverse(
            "events:plan_edit", args=[ctx.target.code, f"{timezone.localdate():%Y-%m}"]
        ),
        data=lambda ctx: {"title": "本月计划", "notes": "每周末一场"},
        watch=counts(MonthPlan),
        inside=RUNNERS,
        near={"grid": no(404)},
        outside={"grid": no(404), "department": no(404)},
    ),
    Write(
        "plan.publish",
        route="events:plan_publish",
        make=_plan,
        url=lambda ctx: reverse("events:plan_publish", args=[ctx.target.pk]),
        watch=fields("status"),
        inside=RUNNERS,
    ),
    Write(
        "event.create",
        route="events:new",
        make=lambda ctx: ctx.community,
        url=lambda ctx: reverse("events:new"),
        data=_event_data,
        watch=counts(Event),
        inside=STAFF | {"outsider": NOT_A_CHOICE},
        outside={"street": NOT_A_CHOICE, "community": NOT_A_CHOICE},
        near={"community": NOT_A_CHOICE},
    ),
    Write(
        "event.register",
        route="events:act",
        make=_event,
        url=_act("register"),
        data=lambda ctx: {"name": "王阿姨", "phone": "13912345678"},
        watch=counts(Registration),
        inside=RUNNERS,
    ),
    Write(
        "roster.join",
        route="events:act",
        make=_with_pioneer,
        url=_act("roster"),
        data=lambda ctx: {"role": "guide", "pioneer": ctx.extra["pioneer"].pk},
        watch=counts(RosterEntry),
        inside=RUNNERS,
    ),
    Write(
        "roster.leave",
        route="events:act",
        make=_with_roster,
        url=_act("unroster"),
        data=lambda ctx: {"entry": ctx.extra["entry"].pk},
        watch=counts(RosterEntry),
        inside=RUNNERS,
    ),
    Write(
        "event.material",
        route="events:act",
        make=_event,
        url=_act("material"),
        data=lambda ctx: {"name": "手套", "unit": "副", "quantity": 30},
        watch=counts(Material),
        inside=RUNNERS,
    ),
    Write(
        "event.summarise",
        route="events:act",
        make=lambda ctx: _event(ctx, past=True),
        url=_act("summary"),
        data=lambda ctx: {"served": 25, "summary": "顺利"},
        watch=fields("status", "served"),
        inside=RUNNERS,
    ),
    Write(
        "event.cancel",
        route="events:act",
        make=_event,
        url=_act("cancel"),
        data=lambda ctx: {"reason": "暴雨"},
        watch=fields("status"),
        inside=RUNNERS,
    ),
    Write(
        "event.publish",
        route="events:act",
        make=lambda ctx: _event(ctx, draft=True),
        url=_act("publish"),
        watch=fields("status"),
        inside=RUNNERS,
    ),
    Write(
        "registration.cancel",
        route="events:act",
        make=_registered,
        url=_act("unregister"),
        data=lambda ctx: {"registration": ctx.extra["reg"].pk, "reason": "重复报名"},
        watch=_statuses,
        inside=RUNNERS,
    ),
    Write(
        "registration.check_in",
        route="events:checkin",
        make=_registered,
        url=lambda ctx: reverse("events:checkin", args=[ctx.target.pk]),
        data=lambda ctx: {"code": ctx.extra["reg"].code},
        watch=_statuses,
        inside={
            "street": ok(200),
            "community": ok(200),
            **dict.fromkeys(("system_admin", "department", "grid"), REFUSED),
        },
    ),
    Write(
        "registration.create",
        route="events:public_event",
        make=_event,
        url=lambda ctx: reverse("events:public_event", args=[ctx.target.pk]),
        data=lambda ctx: {"name": "李大爷", "phone": "13911112222"},
        watch=counts(Registration),
        inside={"*": ok(302)},
        kind=PUBLIC,
    ),
    Write(
        "registration.withdraw",
        route="events:ticket_cancel",
        make=_registered,
        url=lambda ctx: reverse("events:ticket_cancel", args=[ctx.extra["reg"].code]),
        watch=_statuses,
        inside={"*": ok(302)},
        kind=PUBLIC,
    ),
    Write(
        "event.api.create",
        route="POST /api/v1/events",
        make=lambda ctx: ctx.community,
        url=lambda ctx: "/api/v1/events",
        data=_api_event,
        watch=counts(Event),
        inside={
            "street": ok(201),
            "community": ok(201),
            **dict.fromkeys(("system_admin", "department", "grid"), REFUSED),
        },
        near={"grid": no(404)},
        outside={"grid": no(404), "department": no(404)},
        kind=API,
    ),
    Write(
        "registration.api",
        route="POST /api/v1/events/{event_id}/registrations",
        make=_event,
        url=lambda ctx: f"/api/v1/events/{ctx.target.pk}/registrations",
        data=lambda ctx: {"name": "张", "phone": "13933334444"},
        watch=counts(Registration),
        inside={
            "street": ok(201),
            "community": ok(201),
            **dict.fromkeys(("system_admin", "department", "grid"), REFUSED),
        },
        kind=API,
    ),
]


class TestWrites(CreateMatrix, ActMatrix):  # a name with ".create" is a create
    writes = WRITES


def test_every_write_is_declared():
    assert_declared("genxi.events", WRITES)
