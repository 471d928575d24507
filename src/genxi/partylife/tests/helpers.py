"""A party tree on the test world: street A's 大工委 → a regional committee → 彩香一村's
大党委 → its grid branch; 彩香二村's 大党委 under the same regional committee."""

from datetime import datetime, timedelta

from django.utils import timezone

from genxi.orgs.models import PartyLevel, PartyOrg
from genxi.partylife import services


def tree(world):
    street = PartyOrg.objects.get(region=world.street_a, level=PartyLevel.STREET_COMMITTEE)
    regional = PartyOrg.objects.create(
        level=PartyLevel.REGIONAL_COMMITTEE,
        name="彩香区域党委",
        region=world.street_a,
        parent=street,
    )
    a1 = PartyOrg.objects.create(
        level=PartyLevel.COMMUNITY_COMMITTEE,
        name="彩香一村大党委",
        region=world.a1,
        parent=regional,
    )
    branch = PartyOrg.objects.create(
        level=PartyLevel.GRID_BRANCH, name="一村第1网格党支部", region=world.grid_a1, parent=a1
    )
    a2 = PartyOrg.objects.create(
        level=PartyLevel.COMMUNITY_COMMITTEE,
        name="彩香二村大党委",
        region=world.a2,
        parent=regional,
    )
    return {"street": street, "regional": regional, "a1": a1, "branch": branch, "a2": a2}


def members(world, org, n, actor=None):
    actor = actor or world.users["street"]
    return [
        services.member_create(
            actor=actor, org=org, name=f"党员{org.pk}-{i}", phone=f"1390000{i:04d}"
        )
        for i in range(n)
    ]


def at(days=0, hour=14) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, 0))


def plan_with_session(world, org, *, kind="study", minutes=90, actor=None):
    actor = actor or world.users["street"]
    plan = services.plan_create(actor=actor, org=org, year=2026, title="2026年党员冬训")
    session = services.session_create(
        actor=actor,
        plan=plan,
        topic="学习党的二十届四中全会精神",
        kind=kind,
        starts_at=at(-1),
        minutes=minutes,
    )
    return plan, session
