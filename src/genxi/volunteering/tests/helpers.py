"""Sources of volunteer hours for the tests: a finished event with a pioneer on its
roster, a served duty shift, a resolved case handled by a pioneer's login."""

from datetime import date, timedelta

from django.utils import timezone

from genxi.cases.models import Case
from genxi.events import services as events
from genxi.stations.models import DutyShift, Station


def finished_event(world, pioneer, *, hours=3, community=None, role="service"):
    community = community or pioneer.grid.parent
    actor = world.users["outsider" if community.path.startswith(world.street_b.path) else "street"]
    starts = (timezone.now() - timedelta(days=2)).replace(microsecond=0)
    ev = events.event_create(
        actor=actor,
        community=community,
        title="海棠连心·为老理发",
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
        capacity=10,
    )
    events.roster_join(actor=actor, event=ev, role=role, pioneer=pioneer)
    events.event_summarise(actor=actor, event=ev, summary="顺利", served=12)
    return ev


def served_shift(pioneer, *, day=None, start=480, end=720, community=None):
    community = community or pioneer.grid.parent
    station = Station.objects.filter(community=community).first() or Station.objects.create(
        community=community,
        grid=pioneer.grid,
        name="元气加油站",
        lat=31.3,
        lon=120.6,
        address="驿站路1号",
    )
    return DutyShift.objects.create(
        station=station,
        date=day or timezone.localdate() - timedelta(days=1),
        start=start,
        end=end,
        pioneer=pioneer,
    )


def resolved_case(world, user, *, grid=None, code="CASEV1"):
    return Case.objects.create(
        code=code,
        channel="phone",
        title="楼道灯不亮",
        text="三楼楼道灯坏了",
        region=grid or world.grid_a1,
        state="resolved",
        handler=user,
        resolved_at=timezone.now() - timedelta(days=1),
    )


def saturday(year: int = 2026) -> date:
    day = date(year, 3, 1)
    while day.weekday() != 5:
        day += timedelta(days=1)
    return day
