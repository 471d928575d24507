"""Reads of field work, scoped to the user: households, plans, visits, coverage per grid,
community and street, the care list, the daily log, the weekly summary; the headline
counts and the workbench's."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from genxi.cases.models import Case, Category
from genxi.cases.selectors import case_list
from genxi.core.roles import INTAKE_ROLES, Perm, Role
from genxi.core.scope import path_q, scope_for
from genxi.core.workbench import WorkCount
from genxi.people.models import Pioneer, Resident, User
from genxi.regions.models import Level, Region

from .domain import care as care_domain
from .domain.cycles import cycle_bounds, month_start
from .models import (
    CareOutcome,
    CareRound,
    CareRule,
    CareWarning,
    Household,
    PlanItem,
    Visit,
    VisitCycle,
    care_paths,
)

DEFAULT_CYCLE_MONTHS = 3


def _localday(moment: datetime) -> date:
    return timezone.localdate(moment)


def _day_range(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime.combine(start, time.min, tz), datetime.combine(end, time.min, tz)


# Households, plans, visits ---------------------------------------------------------------


def household_list(*, user: Any, grid: str = "", q: str = "") -> QuerySet[Household]:
    rows = (
        Household.objects.visible_to(user)
        .filter(active=True)
        .select_related("grid", "grid__parent")
        .annotate(last_visit=Max("visits__at"))
        .order_by("grid__path", "label", "id")
    )
    if grid:
        rows = rows.filter(grid__code=grid)
    if q:
        rows = rows.filter(label__icontains=q)
    return rows


def household_members(household: Household) -> list[Resident]:
    return list(Resident.objects.filter(household_link__household=household).order_by("name", "pk"))


def household_visits(household: Household) -> QuerySet[Visit]:
    return household.visits.select_related("pioneer", "recorded_by", "case").order_by("-at")


def visit_list(*, user: Any, grid: str = "") -> QuerySet[Visit]:
    rows = Visit.objects.visible_to(user).select_related(
        "household", "grid", "grid__parent", "pioneer", "recorded_by", "case"
    )
    if grid:
        rows = rows.filter(grid__code=grid)
    return rows


def finding_labels(codes: list[str]) -> list[str]:
    names = dict(Category.objects.filter(code__in=codes).values_list("code", "name"))
    return [names.get(c, "") for c in codes if names.get(c)]


def cycle_months_of(community: Region | None) -> int:
    if community is None:
        return DEFAULT_CYCLE_MONTHS
    cycle = VisitCycle.objects.filter(community=community).first()
    return cycle.months if cycle else DEFAULT_CYCLE_MONTHS


def plan_items(*, user: Any, grid: Region, month: date) -> list[PlanItem]:
    """A grid's plan for a month, each item marked `done` when its household has been
    visited since the month began."""
    start = month_start(month)
    visited = Visit.objects.filter(
        household=OuterRef("household"), at__gte=_day_range(start, start)[0]
    )
    return list(
        PlanItem.objects.visible_to(user)
        .filter(grid=grid, month=start)
        .select_related("household", "pioneer")
        .annotate(done=Exists(visited))
        .order_by("pioneer__code", "household__label", "id")
    )


def plan_loads(items: list[PlanItem]) -> list[tuple[Pioneer, int, int]]:
    """(pioneer, planned, done) for each person on a plan."""
    planned: Counter[int] = Counter()
    done: Counter[int] = Counter()
    people: dict[int, Pioneer] = {}
    for item in items:
        people[item.pioneer_id] = item.pioneer
        planned[item.pioneer_id] += 1
        done[item.pioneer_id] += int(getattr(item, "done", False))
    return [(people[p], planned[p], done[p]) for p in people]


def my_plan(*, user: Any, month: date) -> list[PlanItem]:
    """The user's own plan for the month (through their pioneer record), not yet done first."""
    start = month_start(month)
    visited = Visit.objects.filter(
        household=OuterRef("household"), at__gte=_day_range(start, start)[0]
    )
    rows = (
        PlanItem.objects.visible_to(user)
        .filter(month=start, pioneer__user=user)
        .select_related("household", "grid", "grid__parent")
        .annotate(done=Exists(visited))
    )
    return sorted(rows, key=lambda i: (getattr(i, "done", False), i.household.label, i.pk))


def work_grids(user: Any) -> QuerySet[Region]:
    """The grids where the user plans and records visits."""
    scope = scope_for(user)
    paths = tuple(p for r, p in scope.role_paths if r in INTAKE_ROLES)
    if not paths or not scope.has(Perm.VIEW_RESIDENTS):
        return Region.objects.none()
    return (
        Region.objects.filter(path_q("path", paths), level=Level.GRID)
        .select_related("parent")
        .order_by("path")
    )


# Coverage ------------------------------------------------------------------------------


@dataclass
class Coverage:
    """The cycle's coverage of a place: households, those visited, those overdue (on a past
    month's plan of the cycle and not yet visited), and the share visited (0–1)."""

    region: Region
    households: int = 0
    visited: int = 0
    overdue: int = 0
    visits: int = 0
    start: date | None = None
    end: date | None = None
    grids: list[Coverage] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.visited / self.households if self.households else 0.0

    @property
    def percent(self) -> int:
        return round(100 * self.share)

    def add(self, other: Coverage) -> None:
        self.households += other.households
        self.visited += other.visited
        self.overdue += other.overdue
        self.visits += other.visits


def _cycles(grids: list[Region], today: date) -> dict[int, tuple[date, date]]:
    """Each grid's current cycle, from its community's setting (one query)."""
    months = dict(
        VisitCycle.objects.filter(community_id__in={g.parent_id for g in grids}).values_list(
            "community_id", "months"
        )
    )
    return {
        g.pk: cycle_bounds(today, months.get(g.parent_id or 0, DEFAULT_CYCLE_MONTHS)) for g in grids
    }


def grid_coverage(grids: list[Region], today: date) -> dict[int, Coverage]:
    """Coverage of each grid, in a query per distinct cycle (usually one) and kind."""
    bounds = _cycles(grids, today)
    result = {g.pk: Coverage(region=g, start=bounds[g.pk][0], end=bounds[g.pk][1]) for g in grids}
    for pk, n in (
        Household.objects.filter(grid_id__in=[g.pk for g in grids], active=True)
        .order_by()
        .values_list("grid_id")
        .annotate(n=Count("pk"))
    ):
        result[pk].households = n
    by_cycle: dict[tuple[date, date], list[int]] = defaultdict(list)
    for pk, span in bounds.items():
        by_cycle[span].append(pk)
    this_month = month_start(today)
    for (start, end), ids in by_cycle.items():
        lo, hi = _day_range(start, end)
        in_cycle = Visit.objects.filter(grid_id__in=ids, at__gte=lo, at__lt=hi)
        for pk, visited, visits in (
            in_cycle.filter(household__active=True)
            .order_by()
            .values_list("grid_id")
            .annotate(h=Count("household", distinct=True), v=Count("pk"))
        ):
            result[pk].visited, result[pk].visits = visited, visits
        seen = Visit.objects.filter(household=OuterRef("household"), at__gte=lo, at__lt=hi)
        for pk, n in (
            PlanItem.objects.filter(
                grid_id__in=ids,
                month__gte=start,
                month__lt=this_month,
                household__active=True,
            )
            .exclude(Exists(seen))
            .order_by()
            .values_list("grid_id")
            .annotate(n=Count("household", distinct=True))
        ):
            result[pk].overdue = n
    return result


GRID_ROW_FIELDS = ("code", "name", "level", "path", "parent__name", "parent__level")


def coverage(*, user: Any, region: Region, today: date | None = None) -> Coverage:
    """A place's coverage (a grid, a community or a street), with its grids' rows."""
    today = today or timezone.localdate()
    grids = list(
        Region.objects.filter(path__startswith=region.path, level=Level.GRID)
        .filter(pk__in=Household.objects.visible_to(user).values("grid"))
        .select_related("parent")
        # What the rows show (`full_name`, the code in links) and the cycles need (the
        # parent): at a street's size, reading whole places (outlines, times) costs more
        # than the counts.
        .only(*GRID_ROW_FIELDS)
        .order_by("path")
    )
    rows = grid_coverage(grids, today)
    total = Coverage(region=region)
    for grid in grids:
        total.add(rows[grid.pk])
        total.grids.append(rows[grid.pk])
    if grids:
        total.start = min(r.start for r in rows.values() if r.start)
        total.end = max(r.end for r in rows.values() if r.end)
    return total


def coverage_places(user: Any) -> list[Region]:
    """The places a user may read coverage of: the streets, communities and grids they
    see households in, the widest first."""
    scope = scope_for(user)
    if not scope.has(Perm.VIEW_RESIDENTS):
        return []
    if scope.is_global:
        return list(Region.objects.filter(level=Level.STREET).order_by("path"))
    return list(Region.objects.filter(path__in=scope.paths).order_by("path"))


def visits_per_worker(
    *, user: Any, region: Region, start: date, end: date
) -> list[tuple[str, int]]:
    lo, hi = _day_range(start, end)
    rows = list(
        Visit.objects.visible_to(user)
        .filter(grid__path__startswith=region.path, at__gte=lo, at__lt=hi)
        .values_list("pioneer__name", "recorded_by")
        .annotate(n=Count("pk"))
    )
    # The recorder by the name a person reads (never the login), for visits of no pioneer.
    recorders = {r for p, r, _n in rows if not p and r is not None}
    names = {u.pk: str(u) for u in User.objects.filter(pk__in=recorders)}
    counts: Counter[str] = Counter()
    for pioneer, recorder, n in rows:
        counts[pioneer or names.get(recorder) or str(_("未知"))] += n
    return counts.most_common()


# Care rounds ---------------------------------------------------------------------------


@dataclass
class CareDue:
    resident: Resident
    every: int
    last: datetime | None
    due: date
    late: int  # days past due (0: not missed)


def care_residents(user: Any) -> QuerySet[Resident]:
    """The residents whose care the user may see (the grid's workers, the community's staff)."""
    paths = care_paths(scope_for(user))
    if not paths or not scope_for(user).has(Perm.VIEW_RESIDENTS):
        return Resident.objects.none()
    return Resident.objects.filter(path_q("grid__path", paths)).select_related(
        "grid", "grid__parent"
    )


def care_rules_of(communities: set[int]) -> dict[int, dict[str, int]]:
    rules: dict[int, dict[str, int]] = {
        c: dict(care_domain.DEFAULT_EVERY_DAYS) for c in communities
    }
    for community_id, tag, every in CareRule.objects.filter(
        community_id__in=communities
    ).values_list("community_id", "tag", "every_days"):
        rules[community_id][tag] = every
    return rules


def care_due(*, user: Any, today: date | None = None, grid: str = "") -> list[CareDue]:
    """Every resident the user's care rounds are for, the most overdue first."""
    today = today or timezone.localdate()
    residents = [r for r in care_residents(user).exclude(tags=[]) if r.tags]
    if grid:
        residents = [r for r in residents if r.grid.code == grid]
    rules = care_rules_of({r.grid.parent_id for r in residents if r.grid.parent_id})
    last = dict(
        CareRound.objects.filter(resident__in=residents)
        .exclude(outcome=CareOutcome.NO_ANSWER)
        .values_list("resident_id")
        .annotate(last=Max("at"))
    )
    rows = []
    for r in residents:
        every = care_domain.every_days(r.tags, rules.get(r.grid.parent_id or 0, {}))
        if every is None:
            continue
        seen = last.get(r.pk)
        due = care_domain.due_date(
            _localday(seen) if seen else None, _localday(r.created_at), every
        )
        rows.append(CareDue(r, every, seen, due, care_domain.days_missed(due, today)))
    rows.sort(key=lambda c: (-c.late, c.due, c.resident.name, c.resident.pk))
    return rows


def care_rounds(*, user: Any, resident: Resident) -> QuerySet[CareRound]:
    return (
        CareRound.objects.visible_to(user)
        .filter(resident=resident)
        .select_related("visitor", "case")
        .order_by("-at")
    )


def no_answer_open(user: Any) -> QuerySet[CareRound]:
    """No-answer welfare checks whose urgent case is still open: the workbench's first."""
    open_cases = Case.objects.open().values("pk")
    return (
        CareRound.objects.visible_to(user)
        .filter(outcome=CareOutcome.NO_ANSWER, case__in=open_cases)
        .select_related("resident", "grid", "grid__parent", "case")
        .order_by("-at")
    )


# The daily log and the weekly summary ---------------------------------------------------


@dataclass
class DailyLog:
    day: date
    plan: list[PlanItem]
    visits: list[Visit]
    care: list[CareRound]
    cases: list[Case]
    tasks: list[Case]
    care_due: list[CareDue]


def daily_log(*, user: Any, day: date | None = None) -> DailyLog:
    """A grid worker's day on one page: what is planned, what was done, what was raised,
    what is in hand."""
    day = day or timezone.localdate()
    lo, hi = _day_range(day, day + timedelta(days=1))
    visits = list(
        visit_list(user=user).filter(recorded_by=user, at__gte=lo, at__lt=hi).order_by("at")
    )
    care = list(
        CareRound.objects.visible_to(user)
        .filter(visitor=user, at__gte=lo, at__lt=hi)
        .select_related("resident", "case")
        .order_by("at")
    )
    raised = [v.case for v in visits if v.case] + [c.case for c in care if c.case]
    return DailyLog(
        day=day,
        plan=[i for i in my_plan(user=user, month=day) if not getattr(i, "done", False)],
        visits=visits,
        care=care,
        cases=raised,
        tasks=list(case_list(user=user, queue="mine").select_related("region")[:20]),
        care_due=[c for c in care_due(user=user, today=day) if c.due <= day + timedelta(days=1)],
    )


@dataclass
class WeeklySummary:
    community: Region
    start: date
    end: date
    visits: int
    households: int
    findings: list[tuple[str, int]]
    cases: int
    care_rounds: int
    no_answer: int
    missed: int
    workers: list[tuple[str, int]]
    coverage: Coverage

    def paragraphs(self) -> list[str]:
        """The summary written out, from the records."""
        texts = [
            _(
                "%(start)s 至 %(end)s,%(community)s共走访 %(visits)s 次,覆盖 %(households)s 户;"
                "本周期累计走访 %(visited)s / %(total)s 户(%(percent)s%%),逾期未访 %(overdue)s 户。"
            )
            % {
                "start": self.start.isoformat(),
                "end": (self.end - timedelta(days=1)).isoformat(),
                "community": self.community.name,
                "visits": self.visits,
                "households": self.households,
                "visited": self.coverage.visited,
                "total": self.coverage.households,
                "percent": self.coverage.percent,
                "overdue": self.coverage.overdue,
            }
        ]
        if self.findings:
            found = "、".join(
                _("%(name)s %(n)s 件") % {"name": n, "n": c} for n, c in self.findings
            )
            texts.append(
                _("走访中发现的问题:%(found)s;转为诉求 %(cases)s 件。")
                % {"found": found, "cases": self.cases}
            )
        else:
            texts.append(_("走访中没有发现需要处理的问题。"))
        texts.append(
            _(
                "关爱探访 %(rounds)s 次,其中无人应答 %(no_answer)s 次(均已生成紧急诉求);"
                "漏访 %(missed)s 次。"
            )
            % {"rounds": self.care_rounds, "no_answer": self.no_answer, "missed": self.missed}
        )
        if self.workers:
            texts.append(
                _("走访最多的是:%(names)s。")
                % {"names": "、".join(f"{n}({c})" for n, c in self.workers[:3])}
            )
        return texts


def weekly_summary(*, user: Any, community: Region, start: date) -> WeeklySummary:
    end = start + timedelta(days=7)
    lo, hi = _day_range(start, end)
    visits = list(
        Visit.objects.visible_to(user)
        .filter(grid__parent=community, at__gte=lo, at__lt=hi)
        .select_related("pioneer", "recorded_by")
    )
    found: Counter[str] = Counter()
    for v in visits:
        found.update(v.findings)
    names = dict(Category.objects.filter(code__in=found).values_list("code", "name"))
    workers: Counter[str] = Counter(str(v.visitor) for v in visits if v.visitor)
    care = CareRound.objects.visible_to(user).filter(grid__parent=community, at__gte=lo, at__lt=hi)
    return WeeklySummary(
        community=community,
        start=start,
        end=end,
        visits=len(visits),
        households=len({v.household_id for v in visits}),
        findings=[(names.get(c, ""), n) for c, n in found.most_common() if names.get(c)],
        cases=sum(1 for v in visits if v.case_id),
        care_rounds=care.count(),
        no_answer=care.filter(outcome=CareOutcome.NO_ANSWER).count(),
        missed=CareWarning.objects.visible_to(user)
        .filter(grid__parent=community, level=care_domain.GRID, due__gte=start, due__lt=end)
        .count(),
        workers=workers.most_common(),
        coverage=coverage(user=user, region=community, today=end - timedelta(days=1)),
    )


# Headline counts and the workbench -----------------------------------------------------


def stats_by_street(streets: Any) -> dict[int, dict[str, Any]]:
    """Per street: households, visits in the current cycle, coverage (0–1), care rounds
    missed (warned) in the current quarter. A few queries for all the streets."""
    streets = list(streets)
    today = timezone.localdate()
    grids = list(
        Region.objects.filter(
            path_q("path", tuple(s.path for s in streets)), level=Level.GRID
        ).only("pk", "path", "parent_id")
    )
    rows = grid_coverage(grids, today)
    out: dict[int, dict[str, Any]] = {}
    q_start, q_end = cycle_bounds(today, 3)
    missed = dict(
        CareWarning.objects.filter(level=care_domain.GRID, due__gte=q_start, due__lt=q_end)
        .values_list("grid__path")
        .annotate(n=Count("pk"))
    )
    for s in streets:
        total = Coverage(region=s)
        for g in grids:
            if g.path.startswith(s.path):
                total.add(rows[g.pk])
        out[s.pk] = {
            "households": total.households,
            "visits": total.visits,
            "coverage": round(total.share, 4),
            "care_rounds_missed": sum(n for p, n in missed.items() if p.startswith(s.path)),
        }
    return out


def work_counts(user: Any) -> list[WorkCount]:
    """For whoever keeps care rounds (the grid's workers, the community's staff): open
    no-answer checks first (urgent), then rounds overdue; for grid workers with a plan,
    this month's households not yet visited."""
    scope = scope_for(user)
    items: list[WorkCount] = []
    if care_paths(scope) and scope.has(Perm.VIEW_RESIDENTS):
        care_url = reverse("fieldwork:care")
        items.append(
            WorkCount(
                "fieldwork.no_answer",
                _("关爱探访无人应答"),
                no_answer_open(user).count(),
                f"{care_url}?show=no_answer",
                urgent=True,
            )
        )
        items.append(
            WorkCount(
                "fieldwork.care_missed",
                _("关爱探访逾期"),
                sum(1 for c in care_due(user=user) if c.late),
                f"{care_url}?show=missed",
                urgent=True,
            )
        )
    if Role.GRID_WORKER in scope.roles and Pioneer.objects.filter(user=user).exists():
        items.append(
            WorkCount(
                "fieldwork.plan",
                _("本月待走访"),
                sum(
                    1
                    for i in my_plan(user=user, month=timezone.localdate())
                    if not getattr(i, "done", False)
                ),
                reverse("fieldwork:today"),
            )
        )
    return items
