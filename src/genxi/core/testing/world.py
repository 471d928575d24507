"""A small, complete world for tests: two streets, their communities and grids, one user per
role, and a few people and units inside and outside each scope.

Later apps build on it: `world.users["community"]` sees `world.a1` (a community of street A)
and nothing of street B.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from genxi.core.roles import Role
from genxi.demo.geography import rectangle
from genxi.orgs.models import Pairing, PartnerUnit, PartyLevel, PartyOrg, UnitKind
from genxi.people.domain.idcard import make_id_number
from genxi.people.models import Membership, Pioneer, PioneerKind, Resident, User
from genxi.people.services import resident_create
from genxi.regions.domain.codes import child_path
from genxi.regions.models import Building, Estate, Level, Region

PASSWORD = "Test@2026pass"


def make_region(level: str, code: str, name: str, parent: Region | None, **extra) -> Region:
    return Region.objects.create(
        level=level,
        code=code,
        name=name,
        parent=parent,
        path=child_path(parent.path if parent else None, code),
        **extra,
    )


def make_user(username: str, role: str | None = None, region=None, unit=None) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD)
    user.must_change_password = False
    user.save(update_fields=["must_change_password"])
    if role:
        Membership.objects.create(user=user, role=role, region=region, unit=unit)
    return user


_seq = {"n": 0}


def next_id_number() -> str:
    _seq["n"] += 1
    n = _seq["n"]
    return make_id_number("320508", date(1950 + n % 50, 1 + n % 12, 1 + n % 28), n % 1000)


@dataclass
class World:
    city: Region
    street_a: Region
    street_b: Region
    a1: Region
    a2: Region
    b1: Region
    grid_a1: Region
    grid_a1b: Region
    grid_a2: Region
    grid_b1: Region
    users: dict[str, User] = field(default_factory=dict)
    objs: dict[str, Any] = field(default_factory=dict)

    def resident(self, grid: Region, name: str = "测试居民", **kw) -> Resident:
        return resident_create(
            actor=None,
            name=name,
            grid=grid,
            id_number=kw.pop("id_number", next_id_number()),
            phone=kw.pop("phone", "13800001234"),
            address=kw.pop("address", "测试新村5幢2单元301室"),
            **kw,
        )

    def building(self, grid: Region, estate: str, *numbers: str, aliases=()) -> Estate:
        """Buildings `numbers` of `estate` (in the grid's community) in the address gazetteer."""
        place, _new = Estate.objects.get_or_create(
            community=grid.parent, name=estate, defaults={"aliases": list(aliases)}
        )
        for number in numbers:
            Building.objects.update_or_create(estate=place, number=number, defaults={"grid": grid})
        return place

    def pioneer(self, grid: Region, code: str, name: str = "测试先锋", **kw) -> Pioneer:
        return Pioneer.objects.create(
            code=code,
            name=name,
            grid=grid,
            kind=kw.pop("kind", PioneerKind.PARTY_MEMBER),
            phone=kw.pop("phone", "13900005678"),
            **kw,
        )

    def unit(self, street: Region, code: str, name: str, pair_with=()) -> PartnerUnit:
        unit = PartnerUnit.objects.create(
            code=code,
            name=name,
            kind=UnitKind.SOCIAL_ORG,
            region=street,
            contact_phone="13700001111",
        )
        for community in pair_with:
            Pairing.objects.create(unit=unit, community=community)
        return unit


def build_world() -> World:
    city = make_region(Level.CITY, "320500000000", "苏州市", None)
    district = make_region(Level.DISTRICT, "320508000000", "姑苏区", city)
    street_a = make_region(Level.STREET, "320508012000", "金阊街道", district)
    street_b = make_region(Level.STREET, "320508013000", "虎丘街道", district)
    a1 = make_region(
        Level.COMMUNITY,
        "320508012001",
        "彩香一村社区",
        street_a,
        center_lat=31.321,
        center_lon=120.592,
    )
    a2 = make_region(
        Level.COMMUNITY,
        "320508012002",
        "彩香二村社区",
        street_a,
        center_lat=31.323,
        center_lon=120.591,
    )
    b1 = make_region(
        Level.COMMUNITY, "320508013001", "观景社区", street_b, center_lat=31.337, center_lon=120.573
    )

    def grid(community, number, lat, lon):
        return make_region(
            Level.GRID,
            f"{community.code}{number:03d}",
            f"第{number}网格",
            community,
            geometry=rectangle(lat, lon, lat + 0.002, lon + 0.002),
        )

    w = World(
        city=city,
        street_a=street_a,
        street_b=street_b,
        a1=a1,
        a2=a2,
        b1=b1,
        grid_a1=grid(a1, 1, 31.320, 120.590),
        grid_a1b=grid(a1, 2, 31.320, 120.592),
        grid_a2=grid(a2, 1, 31.322, 120.590),
        grid_b1=grid(b1, 1, 31.336, 120.572),
    )
    unit_a = w.unit(street_a, "U-A-1", "甲共建单位", pair_with=[a1])
    unit_b = w.unit(street_b, "U-B-1", "乙共建单位", pair_with=[b1])
    w.objs.update(unit_a=unit_a, unit_b=unit_b)
    w.users = {
        "system_admin": make_user("sysadmin", Role.SYSTEM_ADMIN),
        "security_admin": make_user("secadmin", Role.SECURITY_ADMIN),
        "auditor": make_user("auditor", Role.AUDITOR),
        "street": make_user("street", Role.STREET_ADMIN, region=street_a),
        "community": make_user("community", Role.COMMUNITY_WORKER, region=a1),
        "grid": make_user("grid", Role.GRID_WORKER, region=w.grid_a1),
        "unit": make_user("unitliaison", Role.UNIT_LIAISON, unit=unit_a),
        "outsider": make_user("outsider", Role.STREET_ADMIN, region=street_b),
        "norole": make_user("norole"),
    }
    PartyOrg.objects.create(level=PartyLevel.STREET_COMMITTEE, name="金阊大工委", region=street_a)
    PartyOrg.objects.create(level=PartyLevel.STREET_COMMITTEE, name="虎丘大工委", region=street_b)
    return w
