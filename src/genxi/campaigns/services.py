"""Writes of the campaigns: every one checks who may, runs in one transaction on the locked
campaign and is audited. A street's admins plan, change, start and end its campaigns and
link events to them; a community's staff (and the street's admins) record that community's
outputs while the campaign runs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from genxi.core import audit
from genxi.core.roles import STAFF_ROLES, Role
from genxi.core.scope import scope_for
from genxi.events.models import Event
from genxi.regions.models import Level, Region

from .models import REACHED, Campaign, Channel, Handout, Part, Status, Topic

TITLE_MAX = 80
KIND_MAX = 40
UNIT_MAX = 8
MAX_COUNT = 1_000_000
FIELDS = ("topic", "title", "starts_on", "ends_on", "channels", "description")


# Who may ------------------------------------------------------------------------------------


def may_manage(actor: Any, street: Region) -> bool:
    """A street's admins (or an admin over it) run its campaigns."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return scope_for(actor).role_covers({Role.STREET_ADMIN}, street.path)


def may_record(actor: Any, community: Region) -> bool:
    """The staff over a community (its workers, the street's admins) record its outputs."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return scope_for(actor).role_covers(STAFF_ROLES, community.path)


def _require_manage(actor: Any, street: Region) -> None:
    if not may_manage(actor, street):
        raise PermissionDenied(_("只有街道工作人员可以管理主题宣传活动。"))


def _locked(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().select_related("street").get(pk=campaign.pk)


def _snapshot(campaign: Campaign) -> dict[str, Any]:
    found = audit.snapshot(campaign, (*FIELDS, "status", "summary"))
    found["communities"] = sorted(campaign.parts.values_list("community__code", flat=True))
    return found


# Checks ---------------------------------------------------------------------------------------


def _check(
    *,
    street: Region,
    topic: str,
    title: str,
    starts_on: date,
    ends_on: date,
    channels: Sequence[str],
    communities: Sequence[Region],
) -> str:
    """The campaign's fields checked; answers the title (for 其他, required)."""
    errors: dict[str, str] = {}
    if street.level != Level.STREET:
        errors["street"] = _("主题宣传活动须属于一个街道。")
    if topic not in Topic.values:
        errors["topic"] = _("请选择宣传主题。")
    title = title.strip()
    if not title:
        if topic == Topic.OTHER:
            errors["title"] = _("主题为“其他”时请填写活动名称。")
        elif topic in Topic.values:
            title = str(Topic(topic).label)
    if len(title) > TITLE_MAX:
        errors["title"] = _("活动名称不超过 80 字。")
    if ends_on < starts_on:
        errors["ends_on"] = _("结束日期不能早于开始日期。")
    if not channels:
        errors["channels"] = _("请至少选择一个宣传渠道。")
    elif any(c not in Channel.values for c in channels):
        errors["channels"] = _("宣传渠道不正确。")
    if not communities:
        errors["communities"] = _("请至少选择一个参与社区。")
    elif any(c.level != Level.COMMUNITY or c.parent_id != street.pk for c in communities):
        errors["communities"] = _("参与社区须是本街道的社区。")
    if errors:
        raise ValidationError(errors)
    return title


def _channels(channels: Sequence[str]) -> list[str]:
    return [c for c in Channel.values if c in channels]


# Campaigns ------------------------------------------------------------------------------------


def campaign_create(
    *,
    actor: Any,
    street: Region,
    topic: str,
    title: str = "",
    starts_on: date,
    ends_on: date,
    channels: Sequence[str],
    communities: Sequence[Region],
    description: str = "",
) -> Campaign:
    """Plan a campaign of the street (计划中) with the communities taking part."""
    title = _check(
        street=street,
        topic=topic,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        channels=channels,
        communities=communities,
    )
    _require_manage(actor, street)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            street=street,
            topic=topic,
            title=title,
            starts_on=starts_on,
            ends_on=ends_on,
            channels=_channels(channels),
            description=description.strip(),
            created_by=actor,
        )
        Part.objects.bulk_create(
            [Part(campaign=campaign, community=c) for c in sorted(communities, key=_code)]
        )
        audit.record(
            actor=actor, verb="campaign.create", target=campaign, after=_snapshot(campaign)
        )
    return campaign


def _code(region: Region) -> str:
    return region.code


def campaign_update(
    *,
    actor: Any,
    campaign: Campaign,
    topic: str,
    title: str = "",
    starts_on: date,
    ends_on: date,
    channels: Sequence[str],
    communities: Sequence[Region],
    description: str = "",
) -> Campaign:
    """Change a campaign that has not ended; a community that has recorded outputs stays."""
    _require_manage(actor, campaign.street)
    title = _check(
        street=campaign.street,
        topic=topic,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        channels=channels,
        communities=communities,
    )
    with transaction.atomic():
        campaign = _locked(campaign)
        if campaign.status == Status.ENDED:
            raise ValidationError({"status": _("已结束的宣传活动不能再修改。")})
        before = _snapshot(campaign)
        keep = {c.pk for c in communities}
        dropped = campaign.parts.exclude(community_id__in=keep)
        recorded = [p.community.name for p in dropped.select_related("community") if _has(p)]
        if recorded:
            raise ValidationError(
                {
                    "communities": _("%(names)s 已填报成效,不能移出。")
                    % {"names": "、".join(recorded)}
                }
            )
        dropped.delete()
        have = set(campaign.parts.values_list("community_id", flat=True))
        Part.objects.bulk_create(
            [
                Part(campaign=campaign, community=c)
                for c in sorted(communities, key=_code)
                if c.pk not in have
            ]
        )
        campaign.topic, campaign.title = topic, title
        campaign.starts_on, campaign.ends_on = starts_on, ends_on
        campaign.channels = _channels(channels)
        campaign.description = description.strip()
        campaign.save()
        old, new = audit.diff(before, _snapshot(campaign))
        audit.record(actor=actor, verb="campaign.update", target=campaign, before=old, after=new)
    return campaign


def _has(part: Part) -> bool:
    return part.recorded_at is not None


def campaign_start(*, actor: Any, campaign: Campaign) -> Campaign:
    """计划中 → 进行中: the communities may record their outputs."""
    _require_manage(actor, campaign.street)
    with transaction.atomic():
        campaign = _locked(campaign)
        if campaign.status != Status.PLANNED:
            raise ValidationError({"status": _("只有计划中的宣传活动可以开始。")})
        campaign.status = Status.RUNNING
        campaign.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=actor,
            verb="campaign.start",
            target=campaign,
            before={"status": Status.PLANNED},
            after={"status": Status.RUNNING},
        )
    return campaign


def campaign_end(*, actor: Any, campaign: Campaign, summary: str) -> Campaign:
    """进行中 → 已结束, with the summary; the figures are final from then on."""
    _require_manage(actor, campaign.street)
    summary = summary.strip()
    if not summary:
        raise ValidationError({"summary": _("结束时请填写活动总结。")})
    with transaction.atomic():
        campaign = _locked(campaign)
        if campaign.status != Status.RUNNING:
            raise ValidationError({"status": _("只有进行中的宣传活动可以结束。")})
        campaign.status = Status.ENDED
        campaign.summary = summary
        campaign.ended_at = timezone.now()
        campaign.save(update_fields=["status", "summary", "ended_at", "updated_at"])
        audit.record(
            actor=actor,
            verb="campaign.end",
            target=campaign,
            before={"status": Status.RUNNING},
            after={"status": Status.ENDED, "summary": summary},
        )
    return campaign


def event_link(*, actor: Any, campaign: Campaign, event: Event) -> Campaign:
    """Link an event of one of the campaign's communities to it."""
    _require_manage(actor, campaign.street)
    with transaction.atomic():
        campaign = _locked(campaign)
        if not campaign.parts.filter(community_id=event.community_id).exists():
            raise ValidationError({"event": _("只能关联参与社区的活动。")})
        if campaign.events.filter(pk=event.pk).exists():
            raise ValidationError({"event": _("该活动已关联。")})
        campaign.events.add(event)
        audit.record(actor=actor, verb="campaign.link", target=campaign, after={"event": event.pk})
    return campaign


def event_unlink(*, actor: Any, campaign: Campaign, event: Event) -> Campaign:
    _require_manage(actor, campaign.street)
    with transaction.atomic():
        campaign = _locked(campaign)
        if not campaign.events.filter(pk=event.pk).exists():
            raise ValidationError({"event": _("该活动未关联。")})
        campaign.events.remove(event)
        audit.record(
            actor=actor, verb="campaign.unlink", target=campaign, before={"event": event.pk}
        )
    return campaign


# A community's outputs --------------------------------------------------------------------


def part_record(
    *,
    actor: Any,
    part: Part,
    consultations: int,
    reached: Mapping[str, int],
    handouts: Sequence[tuple[str, str, int]],
    notes: str = "",
) -> Part:
    """Record (or correct) a community's outputs: consultations, the people reached per
    channel (only the campaign's channels), and the materials handed out (kind, unit,
    count; they replace what was recorded)."""
    if not may_record(actor, part.community):
        raise PermissionDenied(_("只有本社区或街道的工作人员可以填报。"))
    errors: dict[str, str] = {}
    if not 0 <= consultations <= MAX_COUNT:
        errors["consultations"] = _("咨询人次须在 0 到 1000000 之间。")
    for channel, n in reached.items():
        if channel not in Channel.values:
            errors["reached"] = _("宣传渠道不正确。")
        elif not 0 <= n <= MAX_COUNT:
            errors[REACHED[channel]] = _("人数须在 0 到 1000000 之间。")
    kinds: dict[str, tuple[str, int]] = {}
    for kind, unit, quantity in handouts:
        kind, unit = kind.strip(), unit.strip()
        if not kind or len(kind) > KIND_MAX or len(unit) > UNIT_MAX:
            errors["handouts"] = _("物资名称不超过 40 字,单位不超过 8 字。")
        elif not 0 < quantity <= MAX_COUNT:
            errors["handouts"] = _("发放数量须在 1 到 1000000 之间。")
        elif kind in kinds:
            errors["handouts"] = _("物资“%(kind)s”填了两次。") % {"kind": kind}
        else:
            kinds[kind] = (unit, quantity)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        campaign = _locked(part.campaign)
        if campaign.status == Status.PLANNED:
            raise ValidationError({"status": _("宣传活动尚未开始,开始后再填报。")})
        if campaign.status == Status.ENDED:
            raise ValidationError({"status": _("宣传活动已结束,成效不能再修改。")})
        off = [c for c, n in reached.items() if n and c not in campaign.channels]
        if off:
            raise ValidationError({REACHED[off[0]]: _("本次活动未使用该渠道。")})
        part = Part.objects.select_for_update().select_related("community").get(pk=part.pk)
        before = _part_snapshot(part)
        part.consultations = consultations
        for channel, column in REACHED.items():
            setattr(part, column, reached.get(channel, 0))
        part.notes = notes.strip()
        part.recorded_at = timezone.now()
        part.recorded_by = actor
        part.save()
        part.handouts.all().delete()
        Handout.objects.bulk_create(
            [Handout(part=part, kind=k, unit=u, quantity=q) for k, (u, q) in kinds.items()]
        )
        old, new = audit.diff(before, _part_snapshot(part))
        audit.record(actor=actor, verb="campaign.record", target=campaign, before=old, after=new)
    return part


def _part_snapshot(part: Part) -> dict[str, Any]:
    found = audit.snapshot(part, ("consultations", *REACHED.values(), "notes"))
    found["community"] = part.community.code
    found["handouts"] = {h.kind: f"{h.quantity}{h.unit}" for h in part.handouts.all()}
    return found
