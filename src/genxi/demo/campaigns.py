"""Demo campaigns (主题宣传活动) of 金阊街道, with the newspaper page's figures: a month
against illegal fund-raising (ended: 200+ leaflets, 20+ consultations across its
communities), a legal-education drive running now (宪法宣传周), last winter's scarves and
gloves drive (围巾手套送温暖) linked to its weekend events and counting their materials, this
winter's linked to the coming ones, and an anti-fraud month planned. Bulk inserts, one
audit event for the load (the loader's), deterministic for a given day."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Sum
from django.utils import timezone

from genxi.campaigns.models import Campaign, Channel, Handout, Part, Status
from genxi.events.domain.calendar import month_start, next_month
from genxi.events.models import Event, EventStatus, Material
from genxi.people.models import User
from genxi.regions.models import Region

from .events import STREET, WINTER

SEED = 1211
LEAFLET_KINDS = ("宣传单", "宣传手册", "宣传海报")


def _winter(today: date, years_back: int) -> tuple[date, date]:
    """December 1 to the end of January: this winter (running, or the next one from March
    on), or `years_back` winters before it."""
    year = (today.year - 1 if today.month <= 2 else today.year) - years_back
    return date(year, 12, 1), date(year + 1, 1, 31)


def load_campaigns() -> dict[str, int]:
    if Campaign.objects.exists() or not Region.objects.filter(code=STREET).exists():
        return {}
    rng = random.Random(SEED)
    street = Region.objects.get(code=STREET)
    communities = list(street.children.order_by("code"))
    admin = User.objects.filter(username="jinchang").first()
    worker = User.objects.filter(username="community").first()
    today = timezone.localdate()
    now = timezone.now()
    last_month = month_start(month_start(today) - timedelta(days=1))

    campaigns: list[Campaign] = []
    recorded: list[tuple[Campaign, list[Region], str]] = []

    def add(topic, title, start, end, status, channels, places, summary="", kind="leaflets"):
        c = Campaign(
            street=street,
            topic=topic,
            title=title,
            starts_on=start,
            ends_on=end,
            channels=channels,
            status=status,
            summary=summary,
            ended_at=now - timedelta(days=1) if status == Status.ENDED else None,
            created_by=admin,
            description=f"{title}:{street.name}各社区通过{'、'.join(channels_labels(channels))}开展宣传。",
        )
        campaigns.append(c)
        recorded.append((c, places, kind))
        return c

    add(
        "fundraising",
        "防范非法集资宣传月",
        last_month,
        next_month(last_month) - timedelta(days=1),
        Status.ENDED,
        ["onsite", "door", "wechat"],
        communities[:8],
        summary="8个社区摆摊宣传、入户讲解,发放宣传单200余份,现场咨询20余人次。",
    )
    add(
        "legal",
        "宪法宣传周·法治进社区",
        today - timedelta(days=10),
        today + timedelta(days=12),
        Status.RUNNING,
        ["onsite", "door", "wechat", "sms"],
        communities[:12],
    )
    last_start, last_end = _winter(today, 1)
    add(
        "other",
        WINTER[0],
        last_start,
        last_end,
        Status.ENDED,
        ["onsite", "door"],
        communities,
        summary="为辖区老人和困难家庭送去围巾、手套,温暖过冬。",
        kind="winter",
    )
    this_start, this_end = _winter(today, 0)
    add(
        "other",
        f"{WINTER[0]}({this_start.year}年冬)",
        this_start,
        this_end,
        Status.PLANNED if this_start > today else Status.RUNNING,
        ["onsite", "door"],
        communities,
        kind="none",
    )
    add(
        "fraud",
        "全民反诈宣传月",
        next_month(month_start(today)),
        next_month(next_month(month_start(today))) - timedelta(days=1),
        Status.PLANNED,
        ["onsite", "wechat", "sms"],
        communities[:10],
        kind="none",
    )
    Campaign.objects.bulk_create(campaigns)

    parts: list[Part] = []
    handouts: list[tuple[Part, str, str, int]] = []
    links: list[tuple[Campaign, int]] = []
    for campaign, places, kind in recorded:
        winter_events = (
            _winter_events(campaign, places) if campaign.title.startswith(WINTER[0]) else {}
        )
        for i, community in enumerate(places):
            part = Part(campaign=campaign, community=community)
            parts.append(part)
            mine = winter_events.get(community.pk, [])
            links += [(campaign, e) for e in mine]
            if kind == "none" or (campaign.status == Status.RUNNING and i >= len(places) - 2):
                continue  # not recorded yet (the running campaign's last two communities)
            part.recorded_at = now - timedelta(days=rng.randint(1, 5))
            part.recorded_by = worker if community.code == "320508012001" else admin
            if kind == "winter":
                for name, (unit, n) in _winter_materials(mine).items():
                    handouts.append((part, name, unit, n))
                part.reached_onsite = attendance(mine)
                part.reached_door = rng.randint(5, 15)
                part.notes = "行动不便的老人由网格员送货上门。"
                continue
            handouts.append((part, "宣传单", "份", rng.randint(26, 40)))
            if rng.random() < 0.5:
                handouts.append((part, rng.choice(LEAFLET_KINDS[1:]), "份", rng.randint(5, 20)))
            part.consultations = rng.randint(3, 6)
            part.reached_onsite = rng.randint(30, 80)
            if "door" in campaign.channels:
                part.reached_door = rng.randint(10, 40)
            if "wechat" in campaign.channels:
                part.reached_wechat = rng.randint(100, 400)
            if "sms" in campaign.channels:
                part.reached_sms = rng.randint(200, 600)
    Part.objects.bulk_create(parts, batch_size=500)
    Handout.objects.bulk_create(
        [Handout(part=p, kind=k, unit=u, quantity=q) for p, k, u, q in handouts], batch_size=500
    )
    through = Campaign.events.through
    through.objects.bulk_create(
        [through(campaign_id=c.pk, event_id=e) for c, e in links], batch_size=500
    )
    return {
        "campaigns": len(campaigns),
        "campaign_parts": len(parts),
        "campaign_events": len(links),
    }


def channels_labels(channels: list[str]) -> list[str]:
    labels = dict(Channel.choices)
    return [str(labels[c]) for c in channels]


def _winter_events(campaign: Campaign, places: list[Region]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    for pk, community_id in (
        Event.objects.filter(
            title=WINTER[0],
            community__in=places,
            starts_at__date__gte=campaign.starts_on,
            starts_at__date__lte=campaign.ends_on,
        )
        .exclude(status=EventStatus.CANCELLED)
        .order_by("starts_at", "pk")
        .values_list("pk", "community_id")
    ):
        found[community_id].append(pk)
    return found


def attendance(events: list[int]) -> int:
    found = Event.objects.filter(pk__in=events).aggregate(n=Sum("attendance"))["n"]
    return found or 0


def _winter_materials(events: list[int]) -> dict[str, tuple[str, int]]:
    return {
        r["name"]: (r["unit"], r["n"])
        for r in Material.objects.filter(event__in=events)
        .values("name", "unit")
        .annotate(n=Sum("quantity"))
        .order_by("name")
    }
