"""The 为民服务 panels (campaigns/panels.py, events/panels.py) against direct counts, and
the section on the street's and the community's dashboards."""

from datetime import date, timedelta

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from genxi.campaigns import panels as campaign_panels
from genxi.campaigns.models import Handout, Part
from genxi.cobuild.models import Project
from genxi.core.panels import Period, panels_for
from genxi.events import panels as event_panels
from genxi.events import services as event_services
from genxi.events.models import Event, Registration
from genxi.events.tests.helpers import event, phone, register

from .helpers import campaign, record

NOVEMBER = Period(date(2026, 11, 1), date(2026, 12, 1), "week")


def _items(answer) -> dict:
    return {str(i["label"]): i["value"] for i in answer["items"]}


def test_campaign_panels_are_the_direct_counts(world):
    made = campaign(world, start=True)
    record(world, made, world.a1, leaflets=120, consultations=12)
    record(world, made, world.a2, leaflets=100, consultations=9, reached={"onsite": 40})
    later = campaign(
        world, communities=[world.a1], starts_on=date(2027, 1, 1), ends_on=date(2027, 1, 9)
    )
    assert later.pk
    street = world.users["street"]
    got = _items(campaign_panels.figures(street, world.street_a, NOVEMBER))
    parts = Part.objects.filter(campaign=made)
    assert got["宣传活动"] == 1
    assert (
        got["发放资料物资"]
        == Handout.objects.filter(part__in=parts).aggregate(n=Sum("quantity"))["n"]
        == 240
    )
    assert got["咨询人次"] == parts.aggregate(n=Sum("consultations"))["n"] == 21
    reached = sum(p.reached for p in parts)
    assert got["覆盖人数"] == reached == 310 + 40
    channels = {
        i["name"]: i["value"]
        for i in campaign_panels.channels(street, world.street_a, NOVEMBER)["items"]
    }
    assert channels == {"现场": 120, "入户": 30, "微信群": 200}
    # The community's dashboard: its own figures.
    mine = _items(campaign_panels.figures(world.users["community"], world.a1, NOVEMBER))
    assert mine["咨询人次"] == 12 and mine["发放资料物资"] == 130
    rows = campaign_panels.communities(street, world.street_a, NOVEMBER)["rows"]
    assert [(r["name"], r["handed"], r["consultations"]) for r in rows] == [
        ("彩香一村社区", 130, 12),
        ("彩香二村社区", 110, 9),
    ]
    topics = campaign_panels.topics(street, world.street_a, NOVEMBER)
    assert topics["x"] == ["防范非法集资"] and topics["series"][1]["data"] == [21]
    # December holds no campaign.
    december = Period(date(2026, 12, 1), date(2026, 12, 31))
    assert _items(campaign_panels.figures(street, world.street_a, december))["宣传活动"] == 0


def test_event_panels_are_the_direct_counts(world):
    past = timezone.now() - timedelta(days=3)
    held = event(world, capacity=3, starts_at=past, ends_at=past + timedelta(hours=2))
    regs = [  # 3 places, 1 waiting: registered the week before
        event_services.register(
            actor=None, event=held, name=f"居民{n}", phone=phone(n), now=past - timedelta(days=7)
        )
        for n in range(4)
    ]
    event_services.check_in(actor=world.users["street"], event=held, code=regs[0].code)
    event_services.material_set(
        actor=world.users["street"], event=held, name="围巾", unit="条", quantity=40
    )
    event_services.event_summarise(
        actor=world.users["street"], event=held, summary="好", served=30, attendance=None
    )
    upcoming = event(world, capacity=5, days=2)
    register(upcoming, 9)
    period = Period(
        timezone.localdate() - timedelta(days=10), timezone.localdate() + timedelta(days=10)
    )
    got = _items(event_panels.events(world.users["street"], world.street_a, period))
    assert got["举办活动"] == Event.objects.filter(status="done").count() == 1
    assert got["报名"] == Registration.objects.filter(status="registered").count() == 4
    assert got["签到"] == 1 and got["未到"] == 2
    assert got["服务人次"] == 30 and got["发放物资"] == 40
    materials = event_panels.materials(world.users["street"], world.street_a, period)
    assert materials["items"] == [{"name": "围巾", "value": 40}]
    trend = event_panels.events_trend(world.users["street"], world.street_a, period)
    assert sum(trend["series"][0]["data"]) == 1 and sum(trend["series"][1]["data"]) == 30
    # Street B's admin sees none of it, nor does another street's dashboard count it.
    assert _items(event_panels.events(world.users["outsider"], world.street_b, period))["报名"] == 0


def test_project_panels_are_the_direct_counts(world):
    Project.objects.create(
        community=world.a1,
        tier="community",
        title="助老",
        status="active",
        progress=40,
        beneficiaries=120,
    )
    Project.objects.create(
        community=world.a2,
        tier="micro",
        title="楼道灯",
        status="done",
        progress=100,
        beneficiaries=30,
    )
    Project.objects.create(
        community=world.a1, tier="micro", title="提议", status="proposed", beneficiaries=99
    )
    got = _items(event_panels.projects(world.users["street"], world.street_a, NOVEMBER))
    assert got["服务项目"] == 2 and got["已完成"] == 1 and got["受益人数"] == 150
    assert got["平均进度"] == "70%"
    tiers = event_panels.tiers(world.users["street"], world.street_a, NOVEMBER)
    assert tiers["series"][0]["data"] == [0, 1, 1]
    mine = _items(event_panels.projects(world.users["community"], world.a1, NOVEMBER))
    assert mine["服务项目"] == 1 and mine["受益人数"] == 120


def test_the_section_renders_on_the_street_and_community_dashboards(client, world):
    keys = {p.key for p in panels_for("street")}
    assert {
        "services.projects",
        "services.events",
        "campaigns.figures",
        "campaigns.communities",
    } <= keys
    assert "campaigns.communities" not in {p.key for p in panels_for("community")}
    made = campaign(world, start=True)
    record(world, made, world.a1, leaflets=120, consultations=12)
    for role, place in (("street", world.street_a), ("community", world.a1)):
        client.force_login(world.users[role])
        body = client.get(reverse("dashboards:region", args=[place.code])).content.decode()
        assert 'id="services">为民服务</h2>' in body
        assert 'data-panel="campaigns.figures"' in body and 'data-panel="services.events"' in body
