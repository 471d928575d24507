"""The campaigns' writes: who may, the status flow, the outputs and their roll-ups, what
the audit log keeps, and `genxi stats --json`'s count."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from genxi.campaigns import selectors, services
from genxi.campaigns.models import Campaign, Handout, Part, Status
from genxi.core.models import AuditEvent
from genxi.core.stats import headline_counts
from genxi.regions.models import Region

from .helpers import campaign, record


def test_a_street_admin_plans_a_campaign_in_its_communities(world):
    made = campaign(world)
    assert made.status == Status.PLANNED and made.title == "防范非法集资"
    assert sorted(made.parts.values_list("community__code", flat=True)) == [
        world.a1.code,
        world.a2.code,
    ]
    audit = AuditEvent.objects.get(verb="campaign.create")
    assert audit.after["communities"] == [world.a1.code, world.a2.code]


@pytest.mark.parametrize("role", ["community", "grid", "outsider", "system_admin", "unit"])
def test_only_the_streets_admin_plans_its_campaigns(world, role):
    with pytest.raises(PermissionDenied):
        campaign(world, actor=world.users[role])
    assert (
        not Campaign.objects.exists()
        and not AuditEvent.objects.filter(verb="campaign.create").exists()
    )


def test_bad_input_is_named_by_field(world):
    with pytest.raises(ValidationError) as exc:
        services.campaign_create(
            actor=world.users["street"],
            street=world.street_a,
            topic="other",
            title="",
            starts_on=date(2026, 11, 30),
            ends_on=date(2026, 11, 1),
            channels=[],
            communities=[world.b1],
        )
    assert set(exc.value.message_dict) == {"title", "ends_on", "channels", "communities"}
    assert not Campaign.objects.exists()


def test_the_status_flow_and_the_summary(world):
    made = campaign(world)
    with pytest.raises(ValidationError) as exc:
        services.campaign_end(actor=world.users["street"], campaign=made, summary="完成")
    assert "status" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        record(world, made, world.a1)
    assert "status" in exc.value.message_dict  # not started yet
    services.campaign_start(actor=world.users["street"], campaign=made)
    with pytest.raises(ValidationError) as exc:
        services.campaign_end(actor=world.users["street"], campaign=made, summary="  ")
    assert set(exc.value.message_dict) == {"summary"}
    ended = services.campaign_end(actor=world.users["street"], campaign=made, summary="效果良好")
    assert ended.status == Status.ENDED and ended.ended_at is not None
    with pytest.raises(ValidationError):
        record(world, made, world.a1)  # the figures are final
    with pytest.raises(ValidationError):
        services.campaign_start(actor=world.users["street"], campaign=made)
    verbs = list(AuditEvent.objects.order_by("id").values_list("verb", flat=True))
    assert verbs == ["campaign.create", "campaign.start", "campaign.end"]


def test_a_community_records_its_own_outputs_only(world):
    made = campaign(world, start=True)
    part = record(world, made, world.a1, actor=world.users["community"], leaflets=150)
    assert part.consultations == 12 and part.reached == 310
    assert dict(part.handouts.values_list("kind", "quantity")) == {"宣传单": 150, "围巾": 10}
    with pytest.raises(PermissionDenied):
        record(world, made, world.a2, actor=world.users["community"])
    with pytest.raises(PermissionDenied):
        record(world, made, world.a1, actor=world.users["grid"])
    # A correction replaces the materials.
    record(world, made, world.a1, handouts=[("宣传单", "份", 90)])
    assert list(Handout.objects.filter(part=part).values_list("kind", "quantity")) == [
        ("宣传单", 90)
    ]
    audit = AuditEvent.objects.filter(verb="campaign.record").latest("id")
    assert audit.before["handouts"] == {"宣传单": "150份", "围巾": "10条"}
    assert audit.after["handouts"] == {"宣传单": "90份"}


def test_outputs_only_through_the_campaigns_channels_and_sane_counts(world):
    made = campaign(world, start=True, channels=["onsite"])
    with pytest.raises(ValidationError) as exc:
        record(world, made, world.a1, reached={"onsite": 10, "sms": 5})
    assert set(exc.value.message_dict) == {"reached_sms"}
    with pytest.raises(ValidationError) as exc:
        record(world, made, world.a1, handouts=[("宣传单", "份", 0)], reached={"onsite": 1})
    assert set(exc.value.message_dict) == {"handouts"}
    assert Part.objects.filter(recorded_at__isnull=False).count() == 0


def test_the_roll_up_by_community_and_for_the_street(world):
    made = campaign(world, start=True)
    record(world, made, world.a1, leaflets=120, consultations=12)
    record(world, made, world.a2, leaflets=100, consultations=9, reached={"onsite": 40})
    street = selectors.campaign_totals(user=world.users["street"], campaign=made)
    assert street.handed_out == 120 + 10 + 100 + 10
    assert street.consultations == 21 and street.recorded == 2
    assert street.reached == {"onsite": 120, "door": 30, "wechat": 200, "sms": 0}
    assert {m["kind"]: m["quantity"] for m in street.materials} == {"宣传单": 220, "围巾": 20}
    # The community worker sees its own community's figures only.
    mine = selectors.campaign_totals(user=world.users["community"], campaign=made)
    assert mine.consultations == 12 and mine.communities == 1
    rows = selectors.parts(user=world.users["community"], campaign=made)
    assert [p.community_id for p in rows] == [world.a1.pk]


def test_scope_of_the_list(world):
    mine = campaign(world, communities=[world.a1])
    other = campaign(world, communities=[world.a2], topic="legal")
    theirs = campaign(
        world, actor=world.users["outsider"], street=world.street_b, communities=[world.b1]
    )

    def seen(role, **kw):
        return set(selectors.campaign_list(user=world.users[role], **kw))

    assert seen("street") == {mine, other}
    assert seen("community") == {mine}
    assert seen("grid") == set() and seen("unit") == set()
    assert seen("outsider") == {theirs}
    assert seen("system_admin") == {mine, other, theirs}
    assert seen("street", topic="legal") == {other}
    assert seen("street", place=world.a2) == {other}
    assert seen("street", since=date(2026, 12, 1)) == set()
    assert seen("street", until=date(2026, 11, 1)) == {mine, other}


def test_linking_events_of_its_communities(world):
    from genxi.events.tests.helpers import event

    made = campaign(world, communities=[world.a1])
    ours = event(world)
    elsewhere = event(world, community=world.a2)
    services.event_link(actor=world.users["street"], campaign=made, event=ours)
    assert list(made.events.all()) == [ours]
    with pytest.raises(ValidationError) as exc:
        services.event_link(actor=world.users["street"], campaign=made, event=elsewhere)
    assert set(exc.value.message_dict) == {"event"}
    with pytest.raises(PermissionDenied):
        services.event_unlink(actor=world.users["community"], campaign=made, event=ours)
    services.event_unlink(actor=world.users["street"], campaign=made, event=ours)
    assert not made.events.exists()


def test_a_community_with_outputs_stays_in_the_campaign(world):
    made = campaign(world, start=True)
    record(world, made, world.a2)
    kw = {
        "topic": "legal",
        "title": "",
        "starts_on": made.starts_on,
        "ends_on": made.ends_on,
        "channels": ["onsite"],
    }
    with pytest.raises(ValidationError) as exc:
        services.campaign_update(
            actor=world.users["street"], campaign=made, communities=[world.a1], **kw
        )
    assert set(exc.value.message_dict) == {"communities"}
    services.campaign_update(
        actor=world.users["street"], campaign=made, communities=[world.a2], **kw
    )
    made.refresh_from_db()
    assert made.topic == "legal" and made.title == "法治宣传"
    assert list(made.parts.values_list("community", flat=True)) == [world.a2.pk]
    audit = AuditEvent.objects.get(verb="campaign.update")
    assert audit.before["communities"] == [world.a1.code, world.a2.code]


def test_stats_count_campaigns_per_street(world):
    campaign(world)
    campaign(world, communities=[world.a1])
    campaign(world, actor=world.users["outsider"], street=world.street_b, communities=[world.b1])
    counts = headline_counts(Region.objects.streets())
    assert counts["金阊街道"]["campaigns"] == Campaign.objects.filter(street=world.street_a).count()
    assert counts["金阊街道"]["campaigns"] == 2 and counts["虎丘街道"]["campaigns"] == 1
