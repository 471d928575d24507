"""A year of demo cases across the demo streets: every state, realistic texts, some overdue,
some merged, ratings given. Deterministic; loaded once (skipped when demo cases exist)."""

from __future__ import annotations

import random
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from genxi.cases.categories import ensure as ensure_categories
from genxi.cases.domain import sla
from genxi.cases.domain.states import HANDOVERS, Level, level_after
from genxi.cases.holiday_services import holidays_sync
from genxi.cases.models import (
    CalendarDay,
    Case,
    CaseEvent,
    Category,
    Channel,
    RoutingRule,
    TrainingExample,
)
from genxi.core.roles import Role
from genxi.orgs.models import PartnerUnit, UnitKind
from genxi.people.models import Pioneer, PioneerKind, User
from genxi.people.services import membership_grant
from genxi.regions.models import Region

from .case_texts import TEMPLATES, generate
from .names import mobile, person_name

SEED = 311
TOTAL = {"320508012000": 3600}  # 金阊; other streets get OTHER each
OTHER = 240
# The share of cases that end in each state (the rest are still moving).
OUTCOMES = [
    ("closed", 0.70),
    ("rejected", 0.03),
    ("merged", 0.03),
    ("verified", 0.04),
    ("resolved", 0.04),
    ("in_progress", 0.06),
    ("dispatched", 0.04),
    ("accepted", 0.03),
    ("submitted", 0.03),
]
PATH = ["submitted", "accepted", "dispatched", "in_progress", "resolved", "verified", "closed"]
ACTION_INTO = {
    "accepted": "accept",
    "dispatched": "dispatch",
    "in_progress": "take",
    "resolved": "resolve",
    "verified": "verify",
    "closed": "close",
}
RESULTS = {
    "ENV": "已联系环卫和物业清理完毕",
    "FAC": "已安排维修,现场已恢复正常",
    "SAFE": "已现场排除隐患并告知当事人",
    "PROP": "已督促物业整改并答复业主",
    "NEIGH": "已上门调解,双方达成一致",
    "AID": "已上门走访并落实帮扶措施",
    "MKT": "已移交市场监管部门查处",
    "TRAF": "已协调相关部门处理",
    "POL": "已电话解答政策并告知办理流程",
    "SUG": "建议已收悉,纳入社区工作计划",
}


def _handlers(rng: random.Random, password_hash: str) -> dict:
    """A grid worker with a login per community of each street, plus the rules' handlers."""
    handlers: dict[str, User] = {}
    for community in Region.objects.communities().order_by("code"):
        username = f"gw{community.code[-6:]}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create(
                username=username,
                display_name=f"{community.name}网格员",
                password=password_hash,
                must_change_password=False,
            )
            grid = community.children.order_by("code").first()
            membership_grant(actor=None, user=user, role=Role.GRID_WORKER, region=grid)
            pioneer = (
                Pioneer.objects.filter(
                    grid__parent=community, kind=PioneerKind.GRID_WORKER, user=None
                )
                .order_by("code")
                .first()
            )
            if pioneer:
                pioneer.user = user
                pioneer.save(update_fields=["user"])
        handlers[community.code] = user
    return handlers


def _rule_handlers(password_hash: str) -> None:
    """Property matters go to a property company; market and safety to the department."""
    street = Region.objects.get(code="320508012000")
    specs = [
        ("wuye", "物业公司联络人", Role.UNIT_LIAISON, UnitKind.PROPERTY, "PROP"),
        ("scjg", "市场监管所", Role.DEPARTMENT_OFFICER, UnitKind.DEPARTMENT, "MKT"),
    ]
    for username, display, role, kind, prefix in specs:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create(
                username=username,
                display_name=display,
                password=password_hash,
                must_change_password=False,
            )
        unit = PartnerUnit.objects.filter(region=street, kind=kind).order_by("code").first()
        if role == Role.UNIT_LIAISON:
            membership_grant(actor=None, user=user, role=role, unit=unit)
        else:
            membership_grant(actor=None, user=user, role=role, region=street)
        RoutingRule.objects.get_or_create(
            category_prefix=prefix, region=street, defaults={"handler": user}
        )
        if prefix == "MKT":
            RoutingRule.objects.get_or_create(
                category_prefix="SAFE", region=street, defaults={"handler": user}
            )


def _point_in(grid: Region, rng: random.Random) -> tuple[float, float]:
    assert grid.geometry is not None  # the demo's grids all have their shape
    ring = grid.geometry["coordinates"][0]
    lons = [p[0] for p in ring]
    lats = [p[1] for p in ring]
    return (rng.uniform(min(lats), max(lats)), rng.uniform(min(lons), max(lons)))


def load_cases(stdout=None) -> int:
    if Case.objects.filter(tags__icontains='"demo"').exists():
        return 0
    rng = random.Random(SEED)
    ensure_categories(Category)
    days = list(CalendarDay.objects.values_list("date", "is_workday"))  # see load_calendar
    calendar = sla.WorkCalendar(
        holidays=frozenset(d for d, w in days if not w),
        workdays=frozenset(d for d, w in days if w),
    )
    password_hash = User.objects.get(username="admin").password
    handlers = _handlers(rng, password_hash)
    _rule_handlers(password_hash)
    categories = {c.code: c for c in Category.objects.all()}
    leaf_codes = list(TEMPLATES)
    staff = User.objects.get(username="community")
    now = timezone.now()
    cases: list[Case] = []
    plans: list[tuple[Case, str, list]] = []
    used_codes: set[str] = set()
    for street in Region.objects.streets().order_by("code"):
        grids = list(Region.objects.grids().under(street).select_related("parent"))
        for _ in range(TOTAL.get(street.code, OTHER)):
            code = leaf_codes[rng.randrange(len(leaf_codes))]
            grid = grids[rng.randrange(len(grids))]
            community = grid.parent
            assert community is not None  # a grid lies in a community
            lat, lon = _point_in(grid, rng)
            created = now - timedelta(days=rng.uniform(0, 365), minutes=rng.randint(0, 600))
            outcome = rng.choices([o for o, _ in OUTCOMES], [w for _, w in OUTCOMES])[0]
            # Old cases are mostly finished; the open ones are mostly recent.
            finished = ("closed", "rejected", "merged")
            if created < now - timedelta(days=30) and outcome not in finished:
                outcome = "closed" if rng.random() < 0.9 else outcome
            if created > now - timedelta(days=10) and outcome == "closed":
                outcome = rng.choice(["dispatched", "in_progress", "resolved", "closed"])
            category = categories[code]
            deadlines = sla.deadlines(
                calendar,
                created,
                response_hours=category.response_hours,
                resolve_days=category.resolve_days,
            )
            tracking = "".join(rng.choice("23456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(10))
            while tracking in used_codes:
                tracking = "".join(
                    rng.choice("23456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(10)
                )
            used_codes.add(tracking)
            estate = community.name.removesuffix("社区")
            text = generate(rng, code, place=estate if rng.random() < 0.8 else None)
            case = Case(
                code=tracking,
                channel=rng.choice(
                    [
                        Channel.PIONEER_VISIT,
                        Channel.PHONE,
                        Channel.PUBLIC_FORM,
                        Channel.WALK_IN,
                        Channel.PHONE,
                        Channel.OPEN311,
                    ]
                ),
                reporter_name=person_name(rng),
                reporter_contact=mobile(rng),
                title=text[:60],
                text=text,
                category=category if outcome != "submitted" else None,
                lat=lat,
                lon=lon,
                region=grid,
                urgency=rng.choices(["normal", "urgent", "emergency"], [0.85, 0.12, 0.03])[0],
                tags=["demo"],
                respond_by=deadlines.respond_by,
                resolve_by=deadlines.resolve_by,
                flagged=rng.random() < 0.03,
            )
            case.created_at = created
            handler = handlers[community.code]
            steps = _walk(case, outcome, created, now, rng, calendar, handler, staff)
            cases.append(case)
            plans.append((case, outcome, steps))
    # auto_now_add overwrites created_at on insert: put the history's times back after.
    created_at = {c.code: steps[0][5] for c, _, steps in plans}
    Case.objects.bulk_create(cases, batch_size=500)
    for case in cases:
        case.created_at = created_at[case.code]
    Case.objects.bulk_update(cases, ["created_at"], batch_size=500)
    by_code = {c.code: c for c in Case.objects.filter(code__in=used_codes)}
    # Merged cases point at an earlier open case of the same grid.
    masters: dict[int, Case] = {}
    for case, outcome, _ in plans:
        if outcome not in ("merged", "rejected"):
            masters.setdefault(case.region_id, by_code[case.code])
    merges = []
    for case, outcome, _ in plans:
        if outcome == "merged":
            saved = by_code[case.code]
            saved.master = masters.get(case.region_id) or next(iter(masters.values()))
            merges.append(saved)
    Case.objects.bulk_update(merges, ["master"], batch_size=500)
    events = [
        CaseEvent(
            case=by_code[case.code],
            seq=i,
            action=action,
            from_state=before,
            to_state=after,
            actor=actor,
            actor_label=str(actor) if actor else "居民",
            note=note,
            created_at=at,
            **levels,
        )
        for case, _, steps in plans
        for i, ((action, before, after, actor, note, at), levels) in enumerate(
            zip(steps, _levels(steps), strict=True), start=1
        )
    ]
    CaseEvent.objects.bulk_create(events, batch_size=1000)
    TrainingExample.objects.bulk_create(
        [
            TrainingExample(text=c.text, category=c.category, source="case", case=by_code[c.code])
            for c, outcome, _ in plans
            if outcome == "closed" and c.category_id
        ],
        batch_size=1000,
    )
    return len(cases)


def _levels(steps) -> list[dict]:
    """Each step's level and hand-over time, as `case_act` records them (decision 0021):
    the community holds a case until it is dispatched to its grid worker, who holds it
    until returning it."""
    level, handed, found = "community", steps[0][5], []
    for action, _before, _after, _actor, _note, at in steps:
        row: dict = {"level": level if action != "submit" else "", "data": {}}
        if action in HANDOVERS:
            row["held"], handed = at - handed, at
        after = level_after(action, Level(level), to_grid=True)
        if after != level:
            row["data"] = {"from_level": level, "to_level": str(after)}
            level = after
        found.append(row)
    return found


def _walk(case, outcome, created, now, rng, calendar, handler, staff):
    """Move a case from submitted to `outcome`, filling its fields; return the history."""
    steps = [("submit", "", "submitted", None, "", created)]
    at = created
    if outcome in ("rejected", "merged"):
        at += timedelta(hours=rng.uniform(0.5, 6))
        note = (
            "不属于社区受理范围,已告知反映人"
            if outcome == "rejected"
            else "与附近诉求重复,合并办理"
        )
        steps.append(
            ("reject" if outcome == "rejected" else "merge", "submitted", outcome, staff, note, at)
        )
        case.state = outcome
        return steps
    target = PATH.index(outcome)
    late = rng.random() < 0.12
    for state in PATH[1 : target + 1]:
        action = ACTION_INTO[state]
        at += timedelta(hours=rng.uniform(0.3, 3 if state != "resolved" else 40))
        if state == "resolved" and late:
            at = case.resolve_by + timedelta(hours=rng.uniform(1, 48))
        if at > now:
            at = now - timedelta(minutes=rng.randint(1, 120))
        actor = handler if action in ("take", "resolve") else staff
        note = ""
        if state == "accepted":
            case.responded_at = at
        if state == "dispatched":
            case.handler = handler
            if rng.random() < 0.05:
                steps.append(("dispatch", "accepted", "dispatched", staff, "", at))
                at += timedelta(hours=1)
                steps.append(("return", "dispatched", "accepted", handler, "不属于本网格", at))
                case.returns += 1
                at += timedelta(hours=1)
        if state == "resolved" and rng.random() < 0.06:
            days = rng.randint(2, 5)
            steps.append(
                ("request_extension", "in_progress", "in_progress", handler, "需要协调其他部门", at)
            )
            steps.append(("approve_extension", "in_progress", "in_progress", staff, "", at))
            case.resolve_by = calendar.add_days(case.resolve_by, days)
            case.extensions += 1
        if state == "resolved":
            note = case.result = RESULTS[case.category.top_code]
            case.resolved_at = at
        if state == "closed":
            case.rating = rng.choices(["satisfied", "basically", "unsatisfied"], [0.8, 0.15, 0.05])[
                0
            ]
            steps.append(("rate", "verified", "verified", None, "", at))
            at += timedelta(minutes=30)
            case.closed_at = at
        if state == "verified" and rng.random() < 0.04:
            steps.append(("send_back", "resolved", "dispatched", staff, "现场还未处理干净", at))
            case.reworks += 1
            steps.append(("take", "dispatched", "in_progress", handler, "", at))
            steps.append(("resolve", "in_progress", "resolved", handler, case.result, at))
        before = steps[-1][2]
        steps.append((action, before, state, actor, note, at))
    case.state = outcome
    return steps


def load_calendar(say) -> int:
    """The official holidays of the demo's year of cases and of the next year, as
    `genxi holidays sync` fills them; a year the installed package does not carry yet
    is left out, with a note."""
    synced = 0
    this_year = timezone.localdate().year
    for year in (this_year - 1, this_year, this_year + 1):
        try:
            synced += holidays_sync(actor=None, year=year).created
        except ValidationError as exc:
            say(" ".join(exc.message_dict["year"]))
    return synced
