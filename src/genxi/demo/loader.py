"""Load the demo data. Deterministic (fixed seed) and idempotent: each object has a natural
key (a code, an ID number's digest, a username), and a second run adds only what is missing.
"""

from __future__ import annotations

import random
from datetime import date

from django.core.management.base import OutputWrapper
from django.db import transaction

from genxi.cases import rollups
from genxi.core import audit, pii
from genxi.core.roles import Role
from genxi.orgs.models import Pairing, PartnerUnit, PartyLevel, PartyMember, PartyOrg, UnitKind
from genxi.people.models import (
    LegalBasis,
    NewEmploymentJob,
    Pioneer,
    PioneerKind,
    Resident,
    ResidentTag,
    User,
)
from genxi.people.services import membership_grant
from genxi.regions.domain.codes import child_path
from genxi.regions.models import BaseFeature, Level, Region
from genxi.regions.services import basemap_replace

from . import basemap
from . import geography as geo
from .alerts import load_alerts
from .cadres import load_cadres
from .campaigns import load_campaigns
from .cases import load_calendar, load_cases
from .cobuild import load_cobuild
from .escalations import load_escalations
from .events import load_events
from .fieldwork import load_fieldwork
from .gazetteer import load_gazetteer
from .inspections import load_inspections
from .names import id_number, mobile, person_name
from .notices import load_notices
from .partylife import load_partylife
from .plans import load_plans
from .reports import load_reports
from .service_projects import load_service_projects
from .stations import load_stations
from .volunteering import load_volunteering

SEED = 20260127
PASSWORD = "Genxi@2026"

DEMO_USERS = [
    # username, display name, role, region code or unit code
    ("admin", "系统管理员", Role.SYSTEM_ADMIN, None),
    ("security", "安全管理员", Role.SECURITY_ADMIN, None),
    ("auditor", "安全审计员", Role.AUDITOR, None),
    ("jinchang", "金阊街道管理员", Role.STREET_ADMIN, "320508012000"),
    ("community", "彩香一村社区工作者", Role.COMMUNITY_WORKER, "320508012001"),  # DEMO_COMMUNITY
    ("gridworker", "彩香一村网格员", Role.GRID_WORKER, "320508012001001"),
    ("unit", "共建单位联络人", Role.UNIT_LIAISON, "U-JC-001"),
    # The service stations (demo/stations.py): two communities' workers and a duty volunteer.
    ("guanjing", "观景社区工作者", Role.COMMUNITY_WORKER, "320508013001"),
    ("fuyuan", "富元社区工作者", Role.COMMUNITY_WORKER, "320507001005"),
    ("yizhan", "元气加油站值守志愿者", Role.GRID_WORKER, "320507001005001"),
    # Cadre development (demo/cadres.py): 苏锦街道's organisation office.
    ("sujin", "苏锦街道组织办", Role.ORG_OFFICE, "320508011000"),
    # Inspections (demo/inspections.py): 黄桥街道 with the market-supervision branch, and
    # 元和街道's safety office.
    ("huangqiao", "黄桥街道管理员", Role.STREET_ADMIN, "320507002000"),
    ("scjg", "市场监管黄桥分局", Role.DEPARTMENT_OFFICER, "320507002000"),
    ("yuanhe", "元和街道安全办", Role.STREET_ADMIN, "320507001000"),
    ("yhxf", "元和消防救援站", Role.DEPARTMENT_OFFICER, "320507001000"),  # the fire round's
    # Notices (demo/notices.py): 御窑 and 东港家和's community workers, 娄葑街道's admin.
    ("yuyao", "御窑社区工作者", Role.COMMUNITY_WORKER, "320507001006"),
    ("donggang", "东港家和社区工作者", Role.COMMUNITY_WORKER, "320571002001"),
    ("loufeng", "娄葑街道管理员", Role.STREET_ADMIN, "320571002000"),
]

DEMO_COMMUNITY = "320508012001"  # 彩香一村社区, the `community` login's
DEMO_LIAISON_UNIT = "U-JC-001"  # the `unit` login's

# 625 pioneers in 金阊街道, across the five kinds.
JINCHANG_PIONEERS: dict[str, int] = {
    PioneerKind.PARTY_MEMBER: 220,
    PioneerKind.GRID_WORKER: 160,
    PioneerKind.PROPERTY_STAFF: 80,
    PioneerKind.RESIDENT_LEADER: 95,
    PioneerKind.NEW_EMPLOYMENT: 70,
}
SKILLS = [
    "水电维修",
    "法律咨询",
    "心理疏导",
    "医疗护理",
    "助老服务",
    "政策宣传",
    "矛盾调解",
    "垃圾分类指导",
    "消防安全",
    "助学辅导",
    "家电维修",
    "理发",
    "防范非法集资宣传",
]
AVAILABILITY = ["工作日白天", "工作日晚上", "周末", "随叫随到", "每周二下午"]
UNIT_KIND_WEIGHTS = [
    (UnitKind.GOVERNMENT, 30),
    (UnitKind.INSTITUTION, 25),
    (UnitKind.STATE_ENTERPRISE, 15),
    (UnitKind.PRIVATE_ENTERPRISE, 35),
    (UnitKind.SOCIAL_ORG, 25),
    (UnitKind.PROPERTY, 20),
    (UnitKind.SCHOOL, 12),
    (UnitKind.MERCHANT, 12),
    (UnitKind.DEPARTMENT, 6),
]
UNIT_NAMES = {
    UnitKind.GOVERNMENT: ["市{}局", "区{}办公室", "市{}委员会"],
    UnitKind.INSTITUTION: ["市{}中心", "区{}服务中心", "{}研究院"],
    UnitKind.STATE_ENTERPRISE: ["苏州{}集团", "{}供电公司", "{}水务公司"],
    UnitKind.PRIVATE_ENTERPRISE: ["苏州{}科技有限公司", "{}商贸有限公司", "{}建设有限公司"],
    UnitKind.SOCIAL_ORG: ["{}社工服务社", "{}志愿者协会", "{}公益发展中心"],
    UnitKind.PROPERTY: ["{}物业管理有限公司", "{}物业服务中心"],
    UnitKind.SCHOOL: ["{}实验小学", "{}中学", "{}幼儿园"],
    UnitKind.MERCHANT: ["{}超市", "{}药房", "{}餐饮店"],
    UnitKind.DEPARTMENT: ["{}市场监管分局", "{}消防救援站", "{}派出所"],
}
NAME_STEMS = [
    "金阊",
    "姑苏",
    "阊门",
    "石路",
    "留园",
    "虎丘",
    "山塘",
    "枫桥",
    "彩香",
    "三元",
    "平江",
    "吴门",
    "沧浪",
    "桃花坞",
    "运河",
    "西园",
    "寒山",
    "新庄",
    "广济",
    "南浩",
]
TAG_RATES = [
    (ResidentTag.ELDERLY_ALONE, 0.06),
    (ResidentTag.ELDERLY, 0.08),
    (ResidentTag.DISABLED, 0.04),
    (ResidentTag.LOW_INCOME, 0.03),
    (ResidentTag.VETERAN, 0.02),
]


class DemoLoader:
    def __init__(self, stdout: OutputWrapper | None = None) -> None:
        self.rng = random.Random(SEED)
        self.stdout = stdout
        self.created: dict[str, int] = {}

    def say(self, text: str) -> None:
        if self.stdout is not None:
            self.stdout.write(text)

    def count(self, key: str, n: int) -> None:
        self.created[key] = self.created.get(key, 0) + n

    # Regions -----------------------------------------------------------------------------

    def region(self, level, code, name, parent, geometry=None, centre=None, households=None):
        existing = Region.objects.filter(code=code).first()
        if existing:
            return existing
        self.count("regions", 1)
        return Region.objects.create(
            level=level,
            code=code,
            name=name,
            parent=parent,
            path=child_path(parent.path if parent else None, code),
            geometry=geometry,
            center_lat=centre[0] if centre else None,
            center_lon=centre[1] if centre else None,
            households=households,
        )

    def load_regions(self) -> dict[str, list[Region]]:
        city_code, city_name, city_centre = geo.CITY
        city = self.region(Level.CITY, city_code, city_name, None, centre=city_centre)
        districts = {
            code: self.region(Level.DISTRICT, code, name, city) for code, name in geo.DISTRICTS
        }
        grids_by_street: dict[str, list[Region]] = {}
        for district_code, code, name, centre, communities, (lo, hi) in geo.STREETS:
            street = self.region(Level.STREET, code, name, districts[district_code], centre=centre)
            grids_by_street[code] = []
            corners = geo.community_blocks(centre, len(communities))
            for index, (short, corner) in enumerate(zip(communities, corners, strict=True), 1):
                c_code = f"{code[:9]}{index:03d}"
                block = geo.rectangle(*corner, corner[0] + geo.BLOCK_LAT, corner[1] + geo.BLOCK_LON)
                community = self.region(
                    Level.COMMUNITY,
                    c_code,
                    geo.community_name(short),
                    street,
                    geometry=block,
                    centre=(corner[0] + geo.BLOCK_LAT / 2, corner[1] + geo.BLOCK_LON / 2),
                )
                n_grids = self.rng.randint(lo, hi)
                for g, cell in enumerate(geo.grid_cells(corner, n_grids), 1):
                    ring = cell["coordinates"][0]
                    grids_by_street[code].append(
                        self.region(
                            Level.GRID,
                            f"{c_code}{g:03d}",
                            f"第{g}网格",
                            community,
                            geometry=cell,
                            centre=((ring[0][1] + ring[2][1]) / 2, (ring[0][0] + ring[2][0]) / 2),
                            households=self.rng.randint(180, 520),
                        )
                    )
        return grids_by_street

    # People ------------------------------------------------------------------------------

    def load_pioneers(self, grids_by_street) -> None:
        existing = set(Pioneer.objects.values_list("code", flat=True))
        new = []
        for _district, code, _name, _c, _comms, _g in geo.STREETS:
            grids = grids_by_street[code]
            if code == "320508012000":
                plan = JINCHANG_PIONEERS
            else:
                plan = {kind: self.rng.randint(4, 12) for kind in PioneerKind.values}
            serial = 0
            for kind, n in plan.items():
                for _ in range(n):
                    serial += 1
                    grid = grids[serial % len(grids)]
                    p_code = f"P-{code[4:9]}-{serial:04d}"
                    fields = {
                        "code": p_code,
                        "name": person_name(self.rng),
                        "phone": mobile(self.rng),
                        "kind": kind,
                        "job": self.rng.choice(NewEmploymentJob.values)
                        if kind == PioneerKind.NEW_EMPLOYMENT
                        else "",
                        "grid": grid,
                        "skills": self.rng.sample(SKILLS, self.rng.randint(1, 3)),
                        "availability": self.rng.choice(AVAILABILITY),
                        "active": self.rng.random() > 0.05,
                    }
                    if p_code not in existing:
                        new.append(Pioneer(**fields))
        Pioneer.objects.bulk_create(new, batch_size=500)
        self.count("pioneers", len(new))

    def load_residents(self, grids_by_street) -> None:
        existing = set(Resident.objects.values_list("id_number_digest", flat=True))
        new = []
        seen: set[str] = set()
        for district_code, code, _name, _c, _comms, _g in geo.STREETS:
            grids = grids_by_street[code]
            total = 2400 if code == "320508012000" else 150
            for i in range(total):
                grid = grids[i % len(grids)]
                number = id_number(self.rng, district_code[:6])
                while number in seen:
                    number = id_number(self.rng, district_code[:6])
                seen.add(number)
                community = grid.name if grid.parent is None else grid.parent.name
                estate = community.removesuffix("社区") + self.rng.choice(["新村", "花园", "小区"])
                building = f"{self.rng.randint(1, 40)}幢"
                address = (
                    f"{estate}{building}{self.rng.randint(1, 4)}单元"
                    f"{self.rng.randint(1, 6)}0{self.rng.randint(1, 4)}室"
                )
                tags = [t for t, rate in TAG_RATES if self.rng.random() < rate]
                # Draw every random value before deciding to skip, so reruns stay in step.
                name = person_name(self.rng)
                phone = mobile(self.rng) if self.rng.random() > 0.1 else ""
                digest = pii.digest(number)
                if digest in existing:
                    continue
                new.append(
                    Resident(
                        name=name,
                        phone=phone,
                        id_number=number,
                        id_number_digest=digest,
                        address=address,
                        building=building,
                        grid=grid,
                        tags=tags,
                        legal_basis=LegalBasis.PUBLIC_DUTY,
                    )
                )
        Resident.objects.bulk_create(new, batch_size=500)
        self.count("residents", len(new))

    # Organisations -----------------------------------------------------------------------

    def load_units(self) -> None:
        existing = set(PartnerUnit.objects.values_list("code", flat=True))
        kinds = [k for k, w in UNIT_KIND_WEIGHTS for _ in range(w)]
        for _district, code, _name, _c, _comms, _g in geo.STREETS:
            street = Region.objects.get(code=code)
            communities = list(street.children.order_by("code"))
            n_units = 180 if code == "320508012000" else self.rng.randint(8, 15)
            prefix = "JC" if code == "320508012000" else code[4:9]
            new_units, pairings = [], []
            for i in range(1, n_units + 1):
                kind = kinds[(i * 7) % len(kinds)]
                stem = NAME_STEMS[(i * 3 + len(prefix)) % len(NAME_STEMS)]
                pattern = UNIT_NAMES[kind][i % len(UNIT_NAMES[kind])]
                u_code = f"U-{prefix}-{i:03d}"
                name = pattern.format(stem if "{}" in pattern else "")
                if kind in (UnitKind.GOVERNMENT, UnitKind.INSTITUTION):
                    name = pattern.format(
                        self.rng.choice(
                            ["民政", "司法", "卫健", "教育", "文旅", "住建", "人社", "团", "妇联"]
                        )
                    )
                paired = self.rng.sample(communities, min(len(communities), self.rng.randint(1, 3)))
                contact, phone = person_name(self.rng), mobile(self.rng)
                number = self.rng.randint(1, 300)
                pairings.append((u_code, paired))
                if u_code in existing:
                    continue
                new_units.append(
                    PartnerUnit(
                        code=u_code,
                        name=f"{name}({i:03d})" if kind != UnitKind.DEPARTMENT else name,
                        kind=kind,
                        region=street,
                        contact_name=contact,
                        contact_phone=phone,
                        address=f"{stem}路{number}号",
                        service_area=street.name,
                    )
                )
            PartnerUnit.objects.bulk_create(new_units)
            by_code = {u.code: u for u in PartnerUnit.objects.filter(region=street)}
            Pairing.objects.bulk_create(
                [
                    Pairing(unit=by_code[u], community=c, since=date(2024, 3, 1), note="结对共建")
                    for u, communities_ in pairings
                    for c in communities_
                ],
                ignore_conflicts=True,
            )
            # The README's co-building walk: the demo liaison's unit is paired with the demo
            # community worker's community, so the need it posts is the unit's to claim.
            if DEMO_LIAISON_UNIT in by_code:
                Pairing.objects.get_or_create(
                    unit=by_code[DEMO_LIAISON_UNIT],
                    community=Region.objects.get(code=DEMO_COMMUNITY),
                    defaults={"since": date(2024, 3, 1), "note": "结对共建"},
                )
            self.count("partner_units", len(new_units))

    def load_party(self) -> None:
        if PartyOrg.objects.exists():
            return
        for _district, code, name, _c, _comms, _g in geo.STREETS:
            street = Region.objects.get(code=code)
            top = PartyOrg.objects.create(
                level=PartyLevel.STREET_COMMITTEE,
                name=f"{name}“大工委”",
                region=street,
                secretary=person_name(self.rng),
            )
            communities = list(street.children.order_by("code"))
            regions_count = 3 if len(communities) > 10 else 1
            size = -(-len(communities) // regions_count)
            for r in range(regions_count):
                group = communities[r * size : (r + 1) * size]
                regional = PartyOrg.objects.create(
                    level=PartyLevel.REGIONAL_COMMITTEE,
                    name=f"{name}第{r + 1}区域党委",
                    region=street,
                    parent=top,
                    secretary=person_name(self.rng),
                )
                regional.communities.set(group)
                for community in group:
                    committee = PartyOrg.objects.create(
                        level=PartyLevel.COMMUNITY_COMMITTEE,
                        name=f"{community.name}“大党委”",
                        region=community,
                        parent=regional,
                        secretary=person_name(self.rng),
                    )
                    committee.member_units.set(
                        PartnerUnit.objects.filter(pairings__community=community)
                    )
                    branches = [
                        PartyOrg(
                            level=PartyLevel.GRID_BRANCH,
                            name=f"{community.name}{grid.name}党支部",
                            region=grid,
                            parent=committee,
                            secretary=person_name(self.rng),
                        )
                        for grid in community.children.order_by("code")
                    ]
                    PartyOrg.objects.bulk_create(branches)
                    members = list(
                        Pioneer.objects.filter(
                            grid__parent=community, kind=PioneerKind.PARTY_MEMBER
                        ).order_by("id")
                    )
                    # Every party member is on the roll of their grid's branch; the first
                    # eight of the community also sit on its committee.
                    branch_of = {b.region_id: b for b in branches}
                    PartyMember.objects.bulk_create(
                        [
                            *(
                                PartyMember(org=committee, name=p.name, position="委员", pioneer=p)
                                for p in members[:8]
                            ),
                            *(
                                PartyMember(
                                    org=branch_of[p.grid_id],
                                    name=p.name,
                                    position="党员",
                                    pioneer=p,
                                )
                                for p in members
                                if p.grid_id in branch_of
                            ),
                        ]
                    )
            self.count(
                "party_orgs", PartyOrg.objects.filter(region__path__startswith=street.path).count()
            )

    # Accounts ----------------------------------------------------------------------------

    def load_users(self) -> None:
        for username, display, role, where in DEMO_USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, display_name=display, must_change_password=False)
                user.set_password(PASSWORD)
                user.save()
                self.count("users", 1)
            region = unit = None
            if where and where.startswith("U-"):
                unit = PartnerUnit.objects.get(code=where)
            elif where:
                region = Region.objects.get(code=where)
            membership_grant(actor=None, user=user, role=role, region=region, unit=unit)
        grid_user = User.objects.get(username="gridworker")
        if not Pioneer.objects.filter(user=grid_user).exists():
            pioneer = Pioneer.objects.filter(
                grid__code="320508012001001", kind=PioneerKind.GRID_WORKER, user=None
            ).first()
            if pioneer:
                pioneer.user = grid_user
                pioneer.save(update_fields=["user"])
        # The duty volunteer of 元气加油站 is a pioneer of 富元社区's first grid.
        duty = User.objects.get(username="yizhan")
        if not Pioneer.objects.filter(user=duty).exists():
            pioneer = Pioneer.objects.filter(
                grid__parent__code="320507001005", user=None, active=True
            ).first()
            if pioneer:
                pioneer.user = duty
                pioneer.save(update_fields=["user"])

    def run(self) -> dict[str, int]:
        with transaction.atomic():
            grids = self.load_regions()
            for key, n in load_gazetteer().items():
                self.count(key, n)
            if not BaseFeature.objects.filter(source=basemap.SOURCE).exists():
                self.count(
                    "base_features",
                    basemap_replace(actor=None, features=basemap.features(), source=basemap.SOURCE),
                )
            self.load_pioneers(grids)
            self.load_residents(grids)
            self.load_units()
            self.load_party()
            self.load_users()
            self.count("holidays", load_calendar(self.say))
            self.count("cases", load_cases())
            self.count("escalations", load_escalations())
            self.count("needs", load_cobuild())
            for key, n in load_plans().items():
                self.count(key, n)
            for key, n in load_service_projects().items():
                self.count(key, n)
            for key, n in load_stations().items():
                self.count(key, n)
            for key, n in load_cadres().items():
                self.count(key, n)
            for key, n in load_fieldwork().items():
                self.count(key, n)
            for key, n in load_events().items():
                self.count(key, n)
            for key, n in load_campaigns().items():
                self.count(key, n)
            for key, n in load_inspections().items():
                self.count(key, n)
            for key, n in load_notices().items():
                self.count(key, n)
            for key, n in load_volunteering().items():  # after events, stations, cases
                self.count(key, n)
            for key, n in load_partylife().items():  # after inspections: its practice class
                self.count(key, n)
            # Last: the early-warning scan over everything above (demo/alerts.py).
            for key, n in load_alerts().items():
                self.count(key, n)
            # The demo's cases were written in bulk and back-dated: count them afresh so the
            # dashboards have their figures from the first page (a second load adds nothing).
            if any(self.created.values()):
                self.count("case_rollups", rollups.rebuild())
            # After the roll-ups: the last month's report of 金阊街道 (demo/reports.py).
            for key, n in load_reports().items():
                self.count(key, n)
            audit.record(actor=None, verb="demo.load", after=self.created)
        return self.created


def load() -> dict[str, int]:
    return DemoLoader().run()
