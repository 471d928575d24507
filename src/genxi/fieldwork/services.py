"""Every write of field work: households kept in step with the register, cycles, plans,
visits (and the case a finding becomes), care rules, care rounds and the missed-round
warnings. Keyword-only, one transaction, audited."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from genxi.cases.models import Category, Channel, Urgency
from genxi.cases.services import case_create
from genxi.core import audit, pii
from genxi.core.db import lock_value
from genxi.core.notifications import tell
from genxi.core.photos import clean_photo
from genxi.core.roles import INTAKE_ROLES, STAFF_ROLES, Role
from genxi.core.scope import scope_for
from genxi.people.models import Membership, Pioneer, Resident, ResidentTag, User
from genxi.regions.models import Level, Region

from .domain import care as care_rules_domain
from .domain.cycles import CYCLE_MONTHS, cycle_bounds, month_start, months_left
from .domain.households import building_label, household_key
from .domain.plan import plan_month
from .models import (
    CareOutcome,
    CareRound,
    CareRule,
    CareWarning,
    Household,
    HouseholdMember,
    PlanItem,
    Visit,
    VisitCycle,
    VisitPhoto,
    care_paths,
)

GPS_DECIMALS = 3  # about 100 m: where the visit was, not which door
DEFAULT_CYCLE_MONTHS = 3


# Who may ---------------------------------------------------------------------------------


def is_staff_over(actor: Any, region: Region) -> bool:
    return scope_for(actor).role_covers(STAFF_ROLES, region.path)


def works_in(actor: Any, grid: Region) -> bool:
    """The grid's workers and the staff over it: they plan and record visits there."""
    return scope_for(actor).role_covers(INTAKE_ROLES, grid.path)


def sees_care(actor: Any, grid: Region) -> bool:
    """The grid's workers and its community's staff (models.care_paths)."""
    return any(grid.path.startswith(p) for p in care_paths(scope_for(actor)))


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# Households ------------------------------------------------------------------------------


def _key_of(resident: Resident) -> tuple[str, str, str]:
    """(digest, plain key, label) of the household the resident belongs to."""
    address = resident.address or ""
    key = household_key(address)
    if not key:  # no address: a household of one, shown as such
        key = f"#resident-{resident.pk}"
        return pii.digest(f"{resident.grid_id}|{key}"), "", str(_("未登记住址"))
    return pii.digest(f"{resident.grid_id}|{key}"), key, building_label(address)


def _recount(household_ids: set[int]) -> None:
    sizes = dict(
        HouseholdMember.objects.filter(household_id__in=household_ids)
        .values_list("household_id")
        .annotate(n=Count("pk"))
    )
    for household in Household.objects.filter(pk__in=household_ids):
        size = sizes.get(household.pk, 0)
        if (household.size, household.active) != (size, size > 0):
            household.size, household.active = size, size > 0
            household.save(update_fields=["size", "active", "updated_at"])


def household_sync(*, resident: Resident) -> Household:
    """Put one resident in the household of their address (after they are registered,
    moved or their address corrected). Runs in the register's own transaction."""
    digest, key, label = _key_of(resident)
    with transaction.atomic():
        household, _new = Household.objects.get_or_create(
            grid_id=resident.grid_id,
            key_digest=digest,
            defaults={"address": key, "label": label},
        )
        old = HouseholdMember.objects.filter(resident=resident).first()
        touched = {household.pk}
        if old is None:
            HouseholdMember.objects.create(household=household, resident=resident)
        elif old.household_id != household.pk:
            touched.add(old.household_id)
            old.household = household
            old.save(update_fields=["household"])
        _recount(touched)
    return household


def households_rebuild(*, actor: Any, region: Region) -> dict[str, int]:
    """Regroup every resident under `region` into households (the register imported in
    bulk, or a change of the grouping rule): one pass, a few queries per grid."""
    if actor is not None:
        _require(is_staff_over(actor, region), _("只有本社区或街道的工作人员可以这样做。"))
    residents = list(
        Resident.objects.filter(grid__path__startswith=region.path).only("pk", "grid_id", "address")
    )
    with transaction.atomic():
        wanted: dict[tuple[int, str], tuple[str, str]] = {}
        member_of: dict[int, tuple[int, str]] = {}
        for resident in residents:
            digest, key, label = _key_of(resident)
            wanted.setdefault((resident.grid_id, digest), (key, label))
            member_of[resident.pk] = (resident.grid_id, digest)
        grids = {g for g, _d in wanted}
        existing = {
            (h.grid_id, h.key_digest): h for h in Household.objects.filter(grid_id__in=grids)
        }
        Household.objects.bulk_create(
            [
                Household(grid_id=g, key_digest=d, address=key, label=label)
                for (g, d), (key, label) in wanted.items()
                if (g, d) not in existing
            ],
            batch_size=500,
        )
        ids = {
            (g, d): pk
            for pk, g, d in Household.objects.filter(grid_id__in=grids).values_list(
                "pk", "grid_id", "key_digest"
            )
        }
        current = dict(
            HouseholdMember.objects.filter(resident_id__in=member_of).values_list(
                "resident_id", "household_id"
            )
        )
        moved = [r for r, place in member_of.items() if current.get(r) not in (None, ids[place])]
        HouseholdMember.objects.filter(resident_id__in=moved).delete()
        HouseholdMember.objects.bulk_create(
            [
                HouseholdMember(household_id=ids[place], resident_id=r)
                for r, place in member_of.items()
                if r not in current or r in moved
            ],
            batch_size=1000,
        )
        sizes: dict[int, int] = defaultdict(int)
        for place in member_of.values():
            sizes[ids[place]] += 1
        households = list(Household.objects.filter(grid_id__in=grids))
        for h in households:
            h.size, h.active = sizes.get(h.pk, 0), sizes.get(h.pk, 0) > 0
        Household.objects.bulk_update(households, ["size", "active"], batch_size=500)
        counts = {
            "households": sum(1 for h in households if h.active),
            "residents": len(member_of),
        }
        audit.record(actor=actor, verb="household.rebuild", target=region, after=counts)
    return counts


# Cycles and plans ------------------------------------------------------------------------


def cycle_months(community: Region) -> int:
    cycle = VisitCycle.objects.filter(community=community).first()
    return cycle.months if cycle else DEFAULT_CYCLE_MONTHS


def cycle_set(*, actor: Any, community: Region, months: int) -> VisitCycle:
    _require(is_staff_over(actor, community), _("只有本社区或街道的工作人员可以这样做。"))
    if community.level != Level.COMMUNITY:
        raise ValidationError({"community": _("请选择一个社区。")})
    if months not in CYCLE_MONTHS:
        raise ValidationError({"months": _("走访周期应为 1、2、3、6 或 12 个月。")})
    with transaction.atomic():
        cycle, _new = VisitCycle.objects.select_for_update().get_or_create(
            community=community, defaults={"months": months}
        )
        before = audit.snapshot(cycle)
        cycle.months = months
        cycle.save(update_fields=["months", "updated_at"])
        b, a = audit.diff(before, audit.snapshot(cycle))
        audit.record(actor=actor, verb="cycle.set", target=cycle, before=b, after=a)
    return cycle


def grid_pioneers(grid: Region) -> list[Pioneer]:
    """Who a grid's plan is shared among: its active pioneers (grid workers among them)."""
    return list(Pioneer.objects.filter(grid=grid, active=True).order_by("code"))


def plan_generate(*, actor: Any, grid: Region, month: date) -> int:
    """Put this month's share of the households still due in the cycle on the grid's
    pioneers' plans, the longest unvisited first, balanced across them. Households already
    on this month's plan stay where they are (an edited plan keeps its edits)."""
    _require(works_in(actor, grid), _("只有本网格的网格员和社区、街道工作人员可以这样做。"))
    if grid.level != Level.GRID:
        raise ValidationError({"grid": _("请选择一个网格。")})
    month = month_start(month)
    assert grid.parent is not None, "a grid lies in a community"
    months = cycle_months(grid.parent)
    start, end = cycle_bounds(month, months)
    people = grid_pioneers(grid)
    if not people:
        raise ValidationError({"grid": _("本网格没有在岗的海棠先锋,无法生成走访计划。")})
    with transaction.atomic():
        lock_value("fieldwork.plan", f"{grid.pk}:{month}")
        households = Household.objects.filter(grid=grid, active=True)
        visited = set(
            Visit.objects.filter(grid=grid, at__date__gte=start, at__date__lt=end).values_list(
                "household_id", flat=True
            )
        )
        planned = set(
            PlanItem.objects.filter(grid=grid, month__gte=start, month__lt=end).values_list(
                "household_id", flat=True
            )
        )
        last = dict(
            Visit.objects.filter(grid=grid).values_list("household_id").annotate(last=Max("at"))
        )
        never = datetime.min.replace(tzinfo=timezone.get_current_timezone())
        due = sorted(
            (h for h in households.values_list("pk", "label") if h[0] not in visited | planned),
            key=lambda h: (last.get(h[0], never), h[1], h[0]),
        )
        load: dict[int, int] = defaultdict(int)
        for pioneer_id in PlanItem.objects.filter(grid=grid, month=month).values_list(
            "pioneer_id", flat=True
        ):
            load[pioneer_id] += 1
        plan = plan_month(
            [h[0] for h in due], [p.pk for p in people], months_left(month, months), load
        )
        PlanItem.objects.bulk_create(
            [
                PlanItem(month=month, grid=grid, household_id=h, pioneer_id=p)
                for h, p in plan.items()
            ]
        )
        audit.record(
            actor=actor,
            verb="plan.generate",
            target=grid,
            after={"month": month.isoformat(), "households": len(plan)},
        )
    return len(plan)


def plan_assign(*, actor: Any, item: PlanItem, pioneer: Pioneer) -> PlanItem:
    """Give a planned household to another of the grid's pioneers."""
    with transaction.atomic():
        item = PlanItem.objects.select_for_update().select_related("grid").get(pk=item.pk)
        _require(
            works_in(actor, item.grid), _("只有本网格的网格员和社区、街道工作人员可以这样做。")
        )
        if pioneer.grid_id != item.grid_id or not pioneer.active:
            raise ValidationError({"pioneer": _("请选择本网格在岗的海棠先锋。")})
        before = audit.snapshot(item)
        item.pioneer = pioneer
        item.save(update_fields=["pioneer", "updated_at"])
        b, a = audit.diff(before, audit.snapshot(item))
        audit.record(actor=actor, verb="plan.assign", target=item, before=b, after=a)
    return item


# Visits ----------------------------------------------------------------------------------


def finding_choices() -> list[Category]:
    """What a visit may find: the request loop's top-level categories."""
    return list(Category.objects.filter(parent=None, active=True).order_by("code"))


def coarse(value: float) -> float:
    return round(value, GPS_DECIMALS)


def visit_record(
    *,
    actor: Any,
    household: Household,
    key: uuid.UUID | None = None,
    at: datetime | None = None,
    met: str = "",
    findings: list[str] | None = None,
    note: str = "",
    follow_up: str = "",
    photos: list[UploadedFile[Any]] | None = None,
    lat: float | None = None,
    lon: float | None = None,
    gps_consent: bool = False,
    pioneer: Pioneer | None = None,
) -> Visit:
    """Record a visit. The same `key` twice (an outbox sending again after a lost answer)
    records it once and answers the first record."""
    key = key or uuid.uuid4()
    grid = household.grid
    _require(works_in(actor, grid), _("只有本网格的网格员和社区、街道工作人员可以这样做。"))
    now = timezone.now()
    at = at or now
    errors: dict[str, str] = {}
    if at > now + timedelta(minutes=5):
        errors["at"] = _("走访时间不能晚于现在。")
    codes = {c.code for c in finding_choices()}
    findings = list(dict.fromkeys(findings or []))
    if any(f not in codes for f in findings):
        errors["findings"] = _("请从列出的问题类别中选择。")
    if gps_consent and (lat is None or lon is None):
        errors["lat"] = _("没有取得位置。")
    elif lat is not None and lon is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        errors["lat"] = _("经纬度超出范围。")
    if pioneer is not None and pioneer.grid_id != grid.pk:
        errors["pioneer"] = _("请选择本网格的海棠先锋。")
    if errors:
        raise ValidationError(errors)
    if pioneer is None:
        pioneer = Pioneer.objects.filter(user=actor, active=True).first() if actor else None
    cleaned = [clean_photo(p) for p in photos or []]
    with transaction.atomic():
        lock_value("fieldwork.visit", str(key))
        earlier = Visit.objects.filter(key=key).first()
        if earlier is not None:
            if earlier.household_id != household.pk or earlier.recorded_by_id != getattr(
                actor, "pk", None
            ):
                raise ValidationError({"key": _("这个提交编号已用于另一条走访记录。")})
            return earlier
        try:
            with transaction.atomic():
                visit = Visit.objects.create(
                    household=household,
                    grid=grid,
                    at=at,
                    pioneer=pioneer,
                    recorded_by=actor,
                    met=met.strip()[:60],
                    findings=findings,
                    note=note.strip(),
                    follow_up=follow_up.strip(),
                    lat=coarse(lat) if gps_consent and lat is not None else None,
                    lon=coarse(lon) if gps_consent and lon is not None else None,
                    key=key,
                )
        except IntegrityError:  # the same key, sent at the same moment (SQLite)
            return Visit.objects.get(key=key)
        for image, thumb, width, height in cleaned:
            VisitPhoto.objects.create(
                visit=visit, image=image, thumbnail=thumb, width=width, height=height
            )
        audit.record(actor=actor, verb="visit.create", target=visit, after=audit.snapshot(visit))
    return visit


def visit_raise_case(*, actor: Any, visit: Visit, category: Category, text: str = "") -> Any:
    """A visit's finding becomes a case in one step: placed in the visit's grid (or where
    its building lies), categorised as found, channel 先锋走访. Once per visit."""
    with transaction.atomic():
        visit = (
            Visit.objects.select_for_update(of=("self",))
            .select_related("household", "grid")
            .get(pk=visit.pk)
        )
        _require(
            works_in(actor, visit.grid), _("只有本网格的网格员和社区、街道工作人员可以这样做。")
        )
        if visit.case_id is not None:
            raise ValidationError({"category": _("这次走访已经转为诉求。")})
        body = (text or visit.note).strip()
        if visit.follow_up and visit.follow_up not in body:
            body = f"{body}\n{_('后续跟进')}:{visit.follow_up}"
        case = case_create(
            actor=actor,
            channel=Channel.PIONEER_VISIT,
            text=body,
            category=category,
            region=visit.grid,
            address=visit.household.label,
            lat=visit.lat,
            lon=visit.lon,
            tags=[str(_("走访发现"))],
        )
        visit.case = case
        visit.save(update_fields=["case", "updated_at"])
        audit.record(actor=actor, verb="visit.case", target=visit, after={"case": case.code})
    return case


# Care rounds -----------------------------------------------------------------------------


def care_rules(community: Region) -> dict[str, int]:
    """Tag → days between rounds for a community: the defaults, then its own settings."""
    rules = dict(care_rules_domain.DEFAULT_EVERY_DAYS)
    rules.update(CareRule.objects.filter(community=community).values_list("tag", "every_days"))
    return rules


def care_rule_set(*, actor: Any, community: Region, tag: str, every_days: int) -> CareRule:
    _require(is_staff_over(actor, community), _("只有本社区或街道的工作人员可以这样做。"))
    if tag not in ResidentTag.values:
        raise ValidationError({"tag": _("未知的居民标签。")})
    if not 0 <= every_days <= 90:
        raise ValidationError({"every_days": _("请填写 0 到 90 之间的天数(0 表示不探访)。")})
    with transaction.atomic():
        rule, _new = CareRule.objects.select_for_update().get_or_create(
            community=community, tag=tag, defaults={"every_days": every_days}
        )
        before = audit.snapshot(rule)
        rule.every_days = every_days
        rule.save(update_fields=["every_days", "updated_at"])
        b, a = audit.diff(before, audit.snapshot(rule))
        audit.record(actor=actor, verb="care_rule.set", target=rule, before=b, after=a)
    return rule


def _community_staff(grid: Region) -> list[User]:
    assert grid.parent_id is not None
    return [
        m.user
        for m in Membership.objects.filter(
            active=True, role=Role.COMMUNITY_WORKER, region_id=grid.parent_id
        ).select_related("user")
    ]


def _grid_workers(grid: Region) -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(
            active=True, role=Role.GRID_WORKER, region=grid
        ).select_related("user")
    ]


def care_round_record(
    *,
    actor: Any,
    resident: Resident,
    outcome: str,
    note: str = "",
    at: datetime | None = None,
    key: uuid.UUID | None = None,
) -> CareRound:
    """Record a care round. The rule (docs/fieldwork.md): a welfare check that finds no
    answer raises an urgent case for the community at once, and its staff are told."""
    key = key or uuid.uuid4()
    grid = resident.grid
    _require(sees_care(actor, grid), _("只有本网格的网格员和本社区工作人员可以登记关爱探访。"))
    if outcome not in CareOutcome.values:
        raise ValidationError({"outcome": _("请选择探访结果。")})
    now = timezone.now()
    at = at or now
    if at > now + timedelta(minutes=5):
        raise ValidationError({"at": _("探访时间不能晚于现在。")})
    with transaction.atomic():
        lock_value("fieldwork.care", str(key))
        earlier = CareRound.objects.filter(key=key).first()
        if earlier is not None:
            if earlier.resident_id != resident.pk:
                raise ValidationError({"key": _("这个提交编号已用于另一条探访记录。")})
            return earlier
        visit = CareRound.objects.create(
            resident=resident,
            grid=grid,
            at=at,
            outcome=outcome,
            note=note.strip(),
            visitor=actor,
            key=key,
        )
        if outcome == CareOutcome.NO_ANSWER:
            visit.case = case_create(
                actor=actor,
                channel=Channel.PIONEER_VISIT,
                text=_(
                    "关爱探访无人应答:%(place)s的%(who)s(%(tags)s)敲门无人应答,"
                    "请社区立即联系家属或上门核实。"
                )
                % {
                    "place": building_label(resident.address or "") or str(grid),
                    "who": pii.mask_text(resident.name),
                    "tags": "、".join(resident.tag_labels()),
                },
                region=grid,
                urgency=Urgency.URGENT,
                tags=[str(_("关爱探访"))],
            )
            visit.save(update_fields=["case"])
            tell(
                _community_staff(grid),
                verb="care.no_answer",
                text=_("关爱探访无人应答,已生成紧急诉求 %(code)s,请立即核实。")
                % {"code": visit.case.code},
                subject=visit.case,
            )
        audit.record(
            actor=actor, verb="care_round.create", target=visit, after=audit.snapshot(visit)
        )
    return visit


def care_view(*, actor: Any, resident: Resident) -> None:
    """Every look at a resident's care records is in the audit log."""
    audit.record(actor=actor, verb="care.view", target=resident)


def care_warn_missed(*, today: date) -> int:
    """The morning's warnings: a round missed yesterday warns the grid's workers; missed
    the day before, the community's staff too. Each warning once (CareWarning)."""
    residents = [
        r
        for r in Resident.objects.exclude(tags=[]).select_related("grid", "grid__parent")
        if r.tags
    ]
    last = dict(
        CareRound.objects.filter(resident__in=residents)
        .exclude(outcome=CareOutcome.NO_ANSWER)
        .values_list("resident_id")
        .annotate(last=Max("at"))
    )
    rules_of: dict[int, dict[str, int]] = {}
    sent = 0
    with transaction.atomic():
        for resident in residents:
            community = resident.grid.parent
            if community is None:
                continue
            if community.pk not in rules_of:
                rules_of[community.pk] = care_rules(community)
            every = care_rules_domain.every_days(resident.tags, rules_of[community.pk])
            if every is None:
                continue
            seen = last.get(resident.pk)
            due = care_rules_domain.due_date(
                timezone.localdate(seen) if seen else None,
                timezone.localdate(resident.created_at),
                every,
            )
            for level in care_rules_domain.warn_levels(due, today):
                made = CareWarning.objects.get_or_create(
                    resident=resident, due=due, level=level, defaults={"grid": resident.grid}
                )[1]
                if not made:
                    continue
                sent += 1
                users = (
                    _grid_workers(resident.grid)
                    if level == care_rules_domain.GRID
                    else _community_staff(resident.grid)
                )
                tell(
                    users,
                    verb="care.missed",
                    text=_("%(grid)s 有一位%(tags)s的关爱探访已逾期(应于 %(due)s 前探访)。")
                    % {
                        "grid": resident.grid.full_name,
                        "tags": "、".join(resident.tag_labels()),
                        "due": due.isoformat(),
                    },
                )
        if sent:
            audit.record(actor=None, verb="care.warn", after={"warnings": sent})
    return sent
