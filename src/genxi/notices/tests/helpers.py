"""Notices for the tests: 彩香一村 (street A) with two buildings of an estate, residents in
them (some consenting to texts), a draft by the community worker."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from genxi.notices import services
from genxi.people import services as people
from genxi.people.models import Resident
from genxi.regions.models import Building, Estate


def buildings(world):
    estate, _ = Estate.objects.get_or_create(community=world.a1, name="花南家园")
    b1, _ = Building.objects.get_or_create(estate=estate, number="1", grid=world.grid_a1)
    b2, _ = Building.objects.get_or_create(estate=estate, number="2", grid=world.grid_a1b)
    return b1, b2


def resident(world, n: int, *, grid=None, building="1幢", consent=True, tags=(), phone=None):
    r = Resident.objects.create(
        name=f"居民{n}",
        phone=f"1380000{n:04d}" if phone is None else phone,
        id_number="",
        address="",
        building=building,
        grid=grid or world.grid_a1,
        tags=list(tags),
    )
    if consent:
        people.sms_consent_give(actor=world.users["street"], resident=r, how="书面同意")
    return r


def draft(world, *, actor=None, community=None, **kw):
    today = timezone.localdate()
    return services.notice_create(
        actor=actor or world.users["community"],
        community=community or world.a1,
        title=kw.pop("title", "楼道堆物清理通知"),
        text=kw.pop("text", "请各位居民于本周六前清理楼道内堆放的杂物,保持消防通道畅通。"),
        valid_from=kw.pop("valid_from", today),
        valid_until=kw.pop("valid_until", today + timedelta(days=14)),
        **kw,
    )


def publish(world, notice, *, author=None, approver=None):
    services.notice_act(actor=author or world.users["community"], notice=notice, action="submit")
    return services.notice_act(
        actor=approver or world.users["street"], notice=notice, action="approve"
    )
