"""Campaigns for the tests: a month-long campaign of street A (金阊街道) in its two
communities, planned by street A's admin."""

from datetime import date

from genxi.campaigns import services


def campaign(world, *, communities=None, topic="fundraising", start=False, **kw):
    made = services.campaign_create(
        actor=kw.pop("actor", world.users["street"]),
        street=kw.pop("street", world.street_a),
        topic=topic,
        title=kw.pop("title", ""),
        starts_on=kw.pop("starts_on", date(2026, 11, 1)),
        ends_on=kw.pop("ends_on", date(2026, 11, 30)),
        channels=kw.pop("channels", ["onsite", "door", "wechat"]),
        communities=communities if communities is not None else [world.a1, world.a2],
        **kw,
    )
    if start:
        services.campaign_start(actor=world.users["street"], campaign=made)
    return made


def record(world, made, community, *, actor=None, leaflets=120, consultations=12, **kw):
    part = made.parts.get(community=community)
    return services.part_record(
        actor=actor or world.users["street"],
        part=part,
        consultations=consultations,
        reached=kw.pop("reached", {"onsite": 80, "door": 30, "wechat": 200}),
        handouts=kw.pop("handouts", [("宣传单", "份", leaflets), ("围巾", "条", 10)]),
        notes=kw.pop("notes", ""),
    )
