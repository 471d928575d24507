"""Writes about party organisations and partner units."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from genxi.core import audit
from genxi.core.db import unique_or_invalid
from genxi.core.domain.phones import is_valid_mobile
from genxi.regions.models import Level, Region

from .models import Pairing, PartnerUnit, PartyMember, PartyOrg


def unit_create(
    *,
    actor: Any,
    code: str,
    name: str,
    kind: str,
    region: Region,
    contact_name: str = "",
    contact_phone: str = "",
    address: str = "",
    service_area: str = "",
) -> PartnerUnit:
    if region.level != Level.STREET:
        raise ValidationError({"region": _("共建单位须归属一个街道。")})
    if contact_phone and not is_valid_mobile(contact_phone):
        raise ValidationError({"contact_phone": _("手机号码应为 11 位数字,以 13–19 开头。")})
    with (
        transaction.atomic(),
        unique_or_invalid(
            PartnerUnit.objects.filter(code=code).exists, "code", _("编号已被使用。")
        ),
    ):
        unit = PartnerUnit.objects.create(
            code=code,
            name=name,
            kind=kind,
            region=region,
            contact_name=contact_name,
            contact_phone=contact_phone,
            address=address,
            service_area=service_area,
        )
        audit.record(actor=actor, verb="unit.create", target=unit, after=audit.snapshot(unit))
    return unit


def pairing_create(
    *, actor: Any, unit: PartnerUnit, community: Region, since: date | None = None, note: str = ""
) -> Pairing:
    if community.level != Level.COMMUNITY:
        raise ValidationError({"community": _("只能与社区结对。")})
    with transaction.atomic():
        pairing, created = Pairing.objects.get_or_create(
            unit=unit, community=community, defaults={"since": since, "note": note}
        )
        if created:
            audit.record(
                actor=actor, verb="pairing.create", target=pairing, after=audit.snapshot(pairing)
            )
    return pairing


def party_org_create(
    *,
    actor: Any,
    level: str,
    name: str,
    region: Region,
    parent: PartyOrg | None = None,
    secretary: str = "",
    communities: list[Region] | None = None,
) -> PartyOrg:
    with transaction.atomic():
        org = PartyOrg.objects.create(
            level=level, name=name, region=region, parent=parent, secretary=secretary
        )
        if communities:
            org.communities.set(communities)
        audit.record(actor=actor, verb="party_org.create", target=org, after=audit.snapshot(org))
    return org


def party_member_add(
    *, actor: Any, org: PartyOrg, name: str, position: str = "", pioneer: Any = None
) -> PartyMember:
    with transaction.atomic():
        member = PartyMember.objects.create(org=org, name=name, position=position, pioneer=pioneer)
        audit.record(
            actor=actor, verb="party_member.add", target=member, after=audit.snapshot(member)
        )
    return member
