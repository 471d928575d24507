"""The write matrix of the campaigns (core/testing/write_matrix.py): planning a campaign,
changing, starting and ending it, linking and unlinking events, and a community's outputs
— for every role, inside street A, in its other community and in street B."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from genxi.campaigns import services
from genxi.campaigns.models import Campaign, Part
from genxi.core.testing.matrix import ActMatrix, CreateMatrix
from genxi.core.testing.write_matrix import Ctx, Write, assert_declared, counts, fields, no, ok
from genxi.events import services as event_services

REFUSED = no(403)
NOT_A_CHOICE = no(400)
# Who sees the campaign but does not run it: the system admin, the department officer and
# the community's worker (it records its outputs only).
MANAGERS = {
    "street": ok(302),
    **dict.fromkeys(("system_admin", "department", "community"), REFUSED),
}
RECORDERS = {"street": ok(302), "community": ok(302)} | dict.fromkeys(
    ("system_admin", "department"), REFUSED
)


def _campaign(ctx: Ctx, *, start: bool = False) -> Campaign:
    campaign = services.campaign_create(
        actor=ctx.staff,
        street=ctx.street,
        topic="fundraising",
        starts_on=date(2026, 11, 1),
        ends_on=date(2026, 11, 30),
        channels=["onsite", "wechat"],
        communities=[ctx.community],
    )
    if start:
        services.campaign_start(actor=ctx.staff, campaign=campaign)
    return campaign


def _event(ctx: Ctx):
    starts = timezone.now() + timedelta(days=2)
    return event_services.event_create(
        actor=ctx.staff,
        community=ctx.community,
        title=f"活动{ctx.role}",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        capacity=5,
    )


def _with_event(ctx: Ctx) -> Campaign:
    campaign = _campaign(ctx)
    ctx.extra["event"] = _event(ctx)
    campaign.starts_on = timezone.localdate() - timedelta(days=3)
    campaign.ends_on = timezone.localdate() + timedelta(days=30)
    campaign.save()
    return campaign


def _linked(ctx: Ctx) -> Campaign:
    campaign = _with_event(ctx)
    services.event_link(actor=ctx.staff, campaign=campaign, event=ctx.extra["event"])
    return campaign


def _events(ctx: Ctx) -> tuple:
    return tuple(ctx.target.events.values_list("pk", flat=True))


def _parts(ctx: Ctx) -> tuple:
    return tuple(Part.objects.order_by("pk").values_list("consultations", "recorded_at"))


def _act(action: str):
    return lambda ctx: reverse("campaigns:act", args=[ctx.target.pk, action])


def _campaign_data(ctx: Ctx) -> dict:
    return {
        "street": ctx.street.pk,
        "topic": "legal",
        "title": "法治宣传进社区",
        "starts_on": "2026-12-01",
        "ends_on": "2026-12-31",
        "channels": ["onsite", "door"],
        "communities": [ctx.community.pk],
    }


WRITES = [
    Write(
        "campaign.create",
        route="campaigns:new",
        make=lambda ctx: ctx.community,
        url=lambda ctx: reverse("campaigns:new"),
        data=_campaign_data,
        watch=counts(Campaign),
        inside={"street": ok(302), "outsider": NOT_A_CHOICE},
        outside={"street": NOT_A_CHOICE},
    ),
    Write(
        "campaign.update",
        route="campaigns:edit",
        make=_campaign,
        url=lambda ctx: reverse("campaigns:edit", args=[ctx.target.pk]),
        data=lambda ctx: _campaign_data(ctx) | {"title": "改名"},
        watch=fields("title"),
        inside=MANAGERS,
    ),
    Write(
        "campaign.start",
        route="campaigns:act",
        make=_campaign,
        url=_act("start"),
        watch=fields("status"),
        inside=MANAGERS,
    ),
    Write(
        "campaign.end",
        route="campaigns:act",
        make=lambda ctx: _campaign(ctx, start=True),
        url=_act("end"),
        data=lambda ctx: {"summary": "共发放宣传单 200 份"},
        watch=fields("status", "summary"),
        inside=MANAGERS,
    ),
    Write(
        "campaign.link",
        route="campaigns:act",
        make=_with_event,
        url=_act("link"),
        data=lambda ctx: {"event": ctx.extra["event"].pk},
        watch=_events,
        inside=MANAGERS,
    ),
    Write(
        "campaign.unlink",
        route="campaigns:act",
        make=_linked,
        url=_act("unlink"),
        data=lambda ctx: {"event": ctx.extra["event"].pk},
        watch=_events,
        inside=MANAGERS,
    ),
    Write(
        "campaign.record",
        route="campaigns:record",
        make=lambda ctx: _campaign(ctx, start=True),
        url=lambda ctx: reverse(
            "campaigns:record", args=[ctx.target.pk, ctx.target.parts.get().community.code]
        ),
        data=lambda ctx: {
            "consultations": 12,
            "reached_onsite": 80,
            "reached_wechat": 150,
            "h0_kind": "宣传单",
            "h0_unit": "份",
            "h0_count": 200,
        },
        watch=_parts,
        inside=RECORDERS,
    ),
]


class TestWrites(CreateMatrix, ActMatrix):  # a name with ".create" is a create
    writes = WRITES


def test_every_write_is_declared():
    assert_declared("genxi.campaigns", WRITES)
