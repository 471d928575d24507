"""Reads of the request loop: queues, one case, nearby duplicates, metrics."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce, StrIndex, Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from genxi.core import related
from genxi.core.memo import Memo
from genxi.core.roles import STAFF_ROLES, Perm, Role
from genxi.core.scope import path_q, scope_for
from genxi.core.workbench import WorkCount
from genxi.orgs.models import PartnerUnit
from genxi.people.models import Membership, User
from genxi.regions.domain.codes import ancestor_paths, path_segment

from .domain.places import box, distance_m
from .domain.states import FINAL, Level
from .domain.states import level_holds as _level_holds
from .domain.text import similarity
from .models import (
    OPEN_STATES,
    AssignmentRole,
    CalendarDay,
    Case,
    CaseAssignment,
    CaseEvent,
    CaseLevel,
    CaseState,
    Category,
    pinned,
)

CaseSet = TypeVar("CaseSet", bound=QuerySet[Case])
QUEUES = ("mine", "dispatch", "escalated", "assist", "due_soon", "overdue", "flagged", "all")
DUE_SOON = timedelta(hours=24)  # 即将超期: the resolution deadline falls within a day
# A search of one or two characters holds no trigram, so no index answers it (decision
# 0032): the lists search the cases received in the last SHORT_SEARCH_DAYS days for it,
# unless a period is given, and the page says so (decision 0037).
SHORT_SEARCH_DAYS = 90
# The queues that hold open cases only: a scope holds few of them, read from the partial
# index on the open cases by place, sorted (decision 0039). `mine` has its handler's index.
OPEN_QUEUES = ("dispatch", "escalated", "assist", "due_soon", "overdue", "flagged")
# A scope of at most so many places (a community and its grids: 11 in the city data) is
# read by place and sorted, whatever the queue; a wider one (a street: 111) walks the order
# index, where one row in a hundred is its own (decision 0039).
FEW_PLACES = 30


# What a queue page's rows show (cases/_rows.html, `Case.is_overdue`, the state badge):
# not the report nor the reporter's encrypted fields, which every row would decrypt, nor
# the dozen timestamps each row would parse.
ROW_FIELDS = (
    "code",
    "title",
    "flagged",
    "state",
    "returns",
    "created_at",
    "resolve_by",
    "resolved_at",
    "category__code",
    "category__name",
    "category__name_en",
    "region__code",
    "region__name",
    "region__level",
    "region__path",
    "region__parent__name",
    "handler__display_name",
)


def is_short_search(q: str) -> bool:
    return 0 < len(q.strip()) < 3


# The categories by code, for the pages that name a code the router answered (a suggestion).
category_memo = Memo("cases.categories", seconds=60.0)


def categories_by_code() -> dict[str, Category]:
    """Every category (active or not) by its code, with its parent: a few dozen rows."""
    found: dict[str, Category] = category_memo.get_or_build(
        lambda: {c.code: c for c in Category.objects.select_related("parent")}
    )
    return found


def case_list(
    *,
    user: Any,
    queue: str = "all",
    state: str = "",
    category: str = "",
    region: str = "",
    q: str = "",
    handler: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    listed: bool = True,
) -> QuerySet[Case]:
    """Visible cases for a queue, filtered, newest first; flagged (督办) cases come first
    while they are open (a closed flagged case sorts with the rest). `since` and `until`
    bound when the cases were received (a dashboard's figure leads here with its period);
    a search of one or two characters without `since` looks at the last SHORT_SEARCH_DAYS
    days only.

    `listed`: the scope's places and the person's assignments are read first and given as
    lists (two queries), so that PostgreSQL estimates the scope's share of the table and
    can read it along the indexes leading with the place (decisions 0037, 0039); False for
    a caller that nests the list in a larger query (`work_counts`)."""
    short = is_short_search(q)
    places = None
    # The handler's own cases (`mine`) are read by the handler's index: no lists needed.
    listed = listed and queue != "mine"
    if listed:
        seen, places = Case.objects.listed_scope(user)
    else:
        seen = Case.objects.visible_to(user)
    # A place's drawn shape (kilobytes for a real grid) is never shown in a list.
    qs = seen.select_related("category", "region", "region__parent", "handler").defer(
        "region__geometry", "region__parent__geometry"
    )
    now = timezone.now()
    if since is None and short:
        since = now - timedelta(days=SHORT_SEARCH_DAYS)
    if queue == "mine":
        # The handler's part ends at resolution: resolved and verified cases leave the queue.
        done = [*map(str, FINAL), CaseState.RESOLVED, CaseState.VERIFIED]
        qs = qs.filter(handler=user).exclude(state__in=done)
    elif queue == "dispatch":
        qs = qs.filter(state__in=[CaseState.SUBMITTED, CaseState.ACCEPTED])
        if not scope_for(user).roles & {Role.STREET_ADMIN, Role.SYSTEM_ADMIN}:
            qs = qs.exclude(level=Level.STREET)  # sent up: the street dispatches it now
    elif queue == "escalated":
        # 上报街道: what the communities sent up that is still open, dispatched or not.
        qs = qs.filter(level=Level.STREET).open()
    elif queue == "assist":
        # 协办: the cases this person assists on and has not reported its part yet.
        assisting = CaseAssignment.objects.filter(
            person=user, role=AssignmentRole.ASSIST, ended_at__isnull=True
        )
        qs = qs.filter(pk__in=assisting.values("case")).open()
    elif queue == "due_soon":
        qs = qs.due_soon(now, DUE_SOON)
    elif queue == "overdue":
        qs = qs.overdue(now)
    elif queue == "flagged":
        qs = qs.filter(flagged=True).open()
    qs = filter_cases(
        qs,
        state=state,
        category=category,
        region=region,
        q=q,
        handler=handler,
        since=since,
        until=until,
    )
    qs = qs.annotate(pinned=pinned())
    few_places = places is not None and places <= FEW_PLACES
    if short or (queue in OPEN_QUEUES or state in OPEN_STATES or few_places) and listed:
        # The same order on an expression no index holds. Walking the order index from the
        # newest case, PostgreSQL would read the whole period of the city for a rare word
        # (48 s at 10 M cases), the whole table for a community's few cases to dispatch
        # (8 s at 2 M), and a thousand rows for each of a community's; the scope's rows of
        # the period, its open rows (the partial index `case_open_region`), or a small
        # scope's rows, sorted, take milliseconds (decisions 0037, 0039).
        received = Coalesce("created_at", "created_at")
        return qs.annotate(received=received).order_by("-pinned", "-received", "-id")
    return qs.order_by("-pinned", "-created_at", "-id")


def received_between(first: date | None, last: date | None) -> dict[str, datetime]:
    """The `since`/`until` of `case_list` for the local days first…last, both included."""
    tz = timezone.get_current_timezone()
    found = {}
    if first:
        found["since"] = datetime.combine(first, datetime.min.time(), tzinfo=tz)
    if last:
        found["until"] = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    return found


def filter_cases(
    qs: CaseSet,
    *,
    state: str = "",
    category: str = "",
    region: str = "",
    q: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
    handler: int | None = None,
) -> CaseSet:
    """The filters of the case lists, the API and the metrics; an empty one filters nothing.

    `category` is a category's code: the category and those under it ("ENV" takes "ENV"
    and "ENV.02", never "ENVX"); `region` a region code at any level
    (its cases and those below it); `q` a case's code, or text in its title or report;
    `since` and `until` bound when the case was received, [since, until).
    """
    if state:
        qs = qs.filter(state=state)
    if category:
        # By id, from the process's copy of the categories: a join on the code made
        # PostgreSQL read the scope's cases once per category of the family (5 loops, 100
        # ms for a street at 10 M cases). An unknown code matches no case.
        family = [
            c.pk
            for code, c in categories_by_code().items()
            if code == category or code.startswith(f"{category}.")
        ]
        qs = qs.filter(category_id__in=family)
    if region:
        qs = qs.filter(region__path__contains=path_segment(region))
    if q:
        # The code exactly (codes are upper case: the unique index answers), or the text in
        # the title or the report: on PostgreSQL the trigram indexes on UPPER(title) and
        # UPPER(text) answer `icontains` from three characters up (migration
        # 0017_search_trigram; decision 0032). Never the address or the reporter: they are
        # encrypted (core/pii.py).
        if is_short_search(q):
            # One or two characters hold no trigram: the trigram indexes would answer every
            # row. strpos(), which they do not serve, leaves the plan to the scope's index.
            needle = Value(q.strip().upper())
            qs = qs.alias(
                in_title=StrIndex(Upper("title"), needle), in_text=StrIndex(Upper("text"), needle)
            ).filter(Q(code=q.upper()) | Q(in_title__gt=0) | Q(in_text__gt=0))
        else:
            qs = qs.filter(Q(code=q.upper()) | Q(title__icontains=q) | Q(text__icontains=q))
    if since:
        qs = qs.filter(created_at__gte=since)
    if until:
        qs = qs.filter(created_at__lt=until)
    if handler:
        qs = qs.filter(handler_id=handler)
    return qs


def nearby_open_cases(
    *,
    user: Any,
    lat: float | None,
    lon: float | None,
    text: str,
    exclude: int | None = None,
    limit: int = 5,
) -> list[tuple[Case, int, float]]:
    """Open cases within the radius, from the last days, with similar text: (case, m, sim)."""
    if lat is None or lon is None:
        return []
    radius = settings.GENXI_DUPLICATE_RADIUS_M
    lat0, lat1, lon0, lon1 = box(lat, lon, radius)
    since = timezone.now() - timedelta(days=settings.GENXI_DUPLICATE_DAYS)
    candidates = (
        Case.objects.visible_to(user)
        .open()
        .filter(lat__range=(lat0, lat1), lon__range=(lon0, lon1), created_at__gte=since)
        .exclude(state=CaseState.MERGED)
    )
    if exclude:
        candidates = candidates.exclude(pk=exclude)
    found = []
    for case in candidates.select_related("category")[:200]:
        if case.lat is None or case.lon is None:  # never: the box above keeps placed cases only
            continue
        metres = distance_m(lat, lon, case.lat, case.lon)
        sim = similarity(text, case.text)
        if metres <= radius and sim >= 0.15:
            found.append((case, round(metres), round(sim, 2)))
    found.sort(key=lambda f: (-f[2], f[1]))
    return found[:limit]


# Metrics ----------------------------------------------------------------------------------


def metrics(
    *,
    user: Any,
    since: datetime | None = None,
    until: datetime | None = None,
    category: str = "",
    region: str = "",
    handler: int | None = None,
    seen: Any = None,
) -> dict[str, Any]:
    """The loop's rates for cases received in [since, until). Formulas: docs/metrics.md.

    Over `seen`, the viewer's cases (a page that reads them for more than this passes them),
    by default their scope as lists (`listed_scope`, decision 0039): PostgreSQL reads the
    viewer's places along the indexes leading with the place, where the semi-join on their
    paths made it scan the whole case table (1.2 s and a second of JIT compiling for a
    street at 10 M cases)."""
    qs = filter_cases(
        Case.objects.listed_scope(user)[0] if seen is None else seen,
        since=since,
        until=until,
        category=category,
        region=region,
        handler=handler,
    )
    accepted_states = [
        s for s in CaseState.values if s not in (CaseState.REJECTED, CaseState.MERGED)
    ]
    duration = ExpressionWrapper(F("resolved_at") - F("created_at"), output_field=DurationField())
    agg = qs.aggregate(
        received=Count("id"),
        valid=Count("id", filter=Q(state__in=accepted_states)),
        responded=Count("id", filter=Q(responded_at__isnull=False)),
        responded_in_time=Count("id", filter=Q(responded_at__lte=F("respond_by"))),
        resolved=Count("id", filter=Q(resolved_at__isnull=False)),
        resolved_in_time=Count("id", filter=Q(resolved_at__lte=F("resolve_by"))),
        closed=Count("id", filter=Q(state=CaseState.CLOSED)),
        rated=Count("id", filter=~Q(rating="")),
        satisfied=Count("id", filter=Q(rating__in=["satisfied", "basically"])),
        unsatisfied=Count("id", filter=Q(rating="unsatisfied")),
        reworked=Count("id", filter=Q(reworks__gt=0)),
        returned=Count("id", filter=Q(returns__gt=0)),
        extended=Count("id", filter=Q(extensions__gt=0)),
        avg_duration=Avg(duration, filter=Q(resolved_at__isnull=False)),
    )

    def rate(part: str, whole: str) -> float | None:
        return round(agg[part] / agg[whole], 4) if agg[whole] else None

    hours = agg["avg_duration"].total_seconds() / 3600 if agg["avg_duration"] else None
    return {
        "received": agg["received"],
        "response_rate": rate("responded", "valid"),
        "on_time_response_rate": rate("responded_in_time", "valid"),
        "on_time_resolution_rate": rate("resolved_in_time", "resolved"),
        "resolution_rate": rate("resolved", "valid"),
        "satisfaction_rate": rate("satisfied", "rated"),
        "rework_rate": rate("reworked", "resolved"),
        "return_rate": rate("returned", "valid"),
        "extension_rate": rate("extended", "valid"),
        "avg_handling_hours": round(hours, 1) if hours is not None else None,
        "counts": {k: agg[k] for k in agg if k != "avg_duration"},
        **level_metrics(qs.filter(state__in=accepted_states), agg["valid"]),
    }


LEVEL_LABELS = {Level(value): label for value, label in CaseLevel.choices}


def _hours(value: timedelta | None) -> float | None:
    return round(value.total_seconds() / 3600, 1) if value is not None else None


def level_metrics(valid: QuerySet[Case], received_all: int) -> dict[str, Any]:
    """吹哨报到, counted from the history of the valid cases: per level what it received,
    resolved itself, and sent up (the street: sent back down); and the hand-overs with
    how long the one handing on had held the case. Formulas: docs/metrics.md."""
    events = CaseEvent.objects.filter(case__in=valid.values("pk")).order_by()

    def cases(**where: Any) -> Count:
        return Count("case", distinct=True, filter=Q(**where))

    n = events.aggregate(
        grid=cases(data__to_level=Level.GRID),  # dispatched to a grid worker
        street=cases(action="escalate"),
        grid_up=cases(action="escalate", level=Level.GRID),
        down=cases(action="send_down"),
        grid_own=cases(action="resolve", level=Level.GRID),
        # a step recorded before levels existed (level "") was the community's
        community_own=cases(action="resolve", level__in=[Level.GRID, Level.COMMUNITY, ""]),
        street_own=cases(action="resolve", level=Level.STREET),
    )

    def percent(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    rows = []
    for level, received, resolved, passed in [
        (Level.GRID, n["grid"], n["grid_own"], n["grid_up"]),
        (Level.COMMUNITY, received_all, n["community_own"], n["street"]),
        (Level.STREET, n["street"], n["street_own"], n["down"]),
    ]:
        rows.append(
            {
                "level": str(level),
                "label": str(LEVEL_LABELS[level]),
                "received": received,
                "resolved": resolved,
                "own_rate": round(resolved / received, 4) if received else None,
                # the community and grid: sent up to the street; the street: sent back down
                "passed": passed,
                "passed_rate": round(passed / received, 4) if received else None,
                "own_percent": percent(resolved, received),  # shown on the page, 0.1 %
                "passed_percent": percent(passed, received),
            }
        )
    handovers = (
        events.filter(held__isnull=False)
        .values("level", "action")
        .annotate(n=Count("id"), avg=Avg("held"))
        .order_by("level", "action")
    )
    return {
        "levels": rows,
        "handovers": [
            {
                "level": h["level"] or str(Level.COMMUNITY),
                "action": h["action"],
                "count": h["n"],
                "avg_hours": _hours(h["avg"]),
            }
            for h in handovers
        ],
    }


def visible_handlers(user: Any):
    """People a dispatcher may send cases to: staff, pioneers with a login, unit liaisons
    and department officers inside the dispatcher's scope."""
    scope = scope_for(user)
    memberships = Membership.objects.filter(
        active=True,
        role__in=[
            Role.GRID_WORKER,
            Role.COMMUNITY_WORKER,
            Role.UNIT_LIAISON,
            Role.DEPARTMENT_OFFICER,
            Role.STREET_ADMIN,
        ],
    )
    if not scope.is_global:
        memberships = memberships.filter(
            path_q("region__path", scope.paths) | path_q("unit__region__path", scope.paths)
        )
    return (
        User.objects.filter(is_active=True, memberships__in=memberships)
        .distinct()
        .order_by("username")
    )


def street_handlers(user: Any, case: Case) -> QuerySet[User]:
    """Whom the street may dispatch an escalated case to (主办 or 协办): the department
    officers over the case's street (or above it) and the people of the partner units
    of that street. Names only, never logins, are shown (`handler_groups`)."""
    del user  # the street admin's own scope holds the case; the chain above it is open
    chain = ancestor_paths(case.region.path)
    memberships = Membership.objects.filter(active=True).filter(
        Q(role=Role.DEPARTMENT_OFFICER, region__path__in=chain)
        | Q(role=Role.UNIT_LIAISON, unit__region__path__in=chain, unit__active=True)
    )
    return User.objects.filter(is_active=True, memberships__in=memberships).distinct()


def _orgs(users: QuerySet[User]) -> list[tuple[int, str, PartnerUnit | None]]:
    rows = (
        Membership.objects.filter(
            user__in=users, active=True, role__in=[Role.DEPARTMENT_OFFICER, Role.UNIT_LIAISON]
        )
        .select_related("user", "unit")
        .order_by("role", "unit__name", "user__display_name", "user_id")
    )
    found: dict[int, tuple[int, str, PartnerUnit | None]] = {}
    for m in rows:
        if m.user_id in found:
            continue
        # A department's desk is its account (市场监管所); a unit's people go by its name.
        name = m.unit.name if m.unit is not None else str(m.user)
        found[m.user_id] = (m.user_id, name, m.unit)
    return list(found.values())


def org_names(users: QuerySet[User]) -> dict[int, str]:
    """Each person's organisation, as the case's assignments name it."""
    return {pk: name for pk, name, _unit in _orgs(users)}


def units_of(users: list[User]) -> dict[int, PartnerUnit]:
    qs = User.objects.filter(pk__in=[u.pk for u in users])
    return {pk: unit for pk, _name, unit in _orgs(qs) if unit is not None}


def handler_groups(user: Any, case: Case) -> list[tuple[str, list[tuple[int, str]]]]:
    """The street's picker: (organisation group, [(person id, name)]) — departments under
    职能部门, each unit's people under the unit's name."""
    people = street_handlers(user, case)
    names = {u.pk: str(u) for u in people}
    groups: dict[str, list[tuple[int, str]]] = {}
    for pk, _org, unit in _orgs(people):
        group = unit.name if unit is not None else _("职能部门")
        groups.setdefault(group, []).append((pk, names[pk]))
    return list(groups.items())


def level_holds(case: Case, events: list[CaseEvent]) -> list[tuple[str, float]]:
    """The hours each level held the case (its history's moves), for the case page."""
    moves = [(e.created_at, e.data["to_level"]) for e in events if e.data.get("to_level")]
    end = case.closed_at or timezone.now()
    held = _level_holds(case.created_at, moves, end)
    return [
        (str(LEVEL_LABELS[level]), round(held[level].total_seconds() / 3600, 1))
        for level in Level
        if level in held
    ]


def handovers(events: list[CaseEvent]) -> list[tuple[CaseEvent, float]]:
    """The hand-overs in a case's history, each with the hours the one handing on held it."""
    return [(e, _hours(e.held) or 0.0) for e in events if e.held is not None]


def assignments_of(case: Case) -> list[CaseAssignment]:
    return list(case.assignments.select_related("person").order_by("assigned_at", "id"))


def ops_gauges() -> list[tuple[str, str, float]]:
    """For the operators' metrics (core/ops.py): open cases, and those past their deadline."""
    open_cases = Case.objects.open()
    return [
        ("genxi_cases_open", "Cases not yet closed", float(open_cases.count())),
        (
            "genxi_cases_overdue",
            "Open cases past their deadline",
            float(Case.objects.overdue().count()),
        ),
    ]


def stats_by_street(streets) -> dict[int, dict[str, Any]]:
    """Each street's cases by state, in one query (a row per state, a column per street)."""
    streets = list(streets)
    if not streets:
        return {}
    rows = (
        Case.objects.order_by()
        .values("state")
        .annotate(
            **{
                f"s{i}": Count("pk", filter=Q(region__path__startswith=s.path))
                for i, s in enumerate(streets)
            }
        )
    )
    by_state: dict[str, dict[str, Any]] = {row["state"]: dict(row) for row in rows}
    return {
        s.pk: {
            "cases": {state: by_state.get(state, {}).get(f"s{i}", 0) for state in CaseState.values}
        }
        for i, s in enumerate(streets)
    }


# From 1 November the next year's arrangement is due (the State Council publishes it in
# the autumn) and deadlines set in December already run into January.
NEXT_YEAR_FROM = (11, 1)


def years_without_calendar(today: date) -> list[int]:
    """The years whose deadlines would be counted on weekends alone: this year, and from
    November the next, when no holiday or 调休 day is recorded for them."""
    years = [today.year]
    if (today.month, today.day) >= NEXT_YEAR_FROM:
        years.append(today.year + 1)
    recorded = set(
        CalendarDay.objects.filter(date__year__in=years)
        .order_by()
        .values_list("date__year", flat=True)
        .distinct()
    )
    return [year for year in years if year not in recorded]


def work_counts(user: Any) -> list[WorkCount]:
    """The request loop's part of the workbench (`core.workbench`), in one query. Each
    count is the length of the queue it links to. A place's staff accept and dispatch; a
    handler (grid worker, department, unit) sees its own tasks and the deadlines."""
    scope = scope_for(user)
    if not scope.has(Perm.VIEW_DATA):
        return []
    now = timezone.now()
    visible = Case.objects.visible_to(user)

    def queue(**filters: Any) -> QuerySet[Case]:  # nested in one query: no lists read first
        return case_list(user=user, listed=False, **filters)

    counts = {
        "to_accept": queue(queue="dispatch", state=CaseState.SUBMITTED),
        "to_dispatch": queue(queue="dispatch", state=CaseState.ACCEPTED),
        "escalated": queue(queue="escalated", state=CaseState.ACCEPTED),
        "assist": queue(queue="assist"),
        "mine": queue(queue="mine"),
        "due_soon": visible.due_soon(now, DUE_SOON),
        "overdue": visible.overdue(now),
        "flagged": queue(queue="flagged"),
    }
    totals = visible.aggregate(
        **{key: Count("pk", filter=Q(pk__in=qs.values("pk"))) for key, qs in counts.items()}
    )
    url = reverse("cases:queue")
    shown = [
        ("mine", _("我的待办"), f"{url}?queue=mine", False),
        ("due_soon", _("即将超期"), f"{url}?queue=due_soon", True),
        ("overdue", _("已超期"), f"{url}?queue=overdue", True),
    ]
    if scope.roles & {Role.UNIT_LIAISON, Role.DEPARTMENT_OFFICER}:
        shown.insert(1, ("assist", _("协办"), f"{url}?queue=assist", False))
    if scope.roles & STAFF_ROLES:
        shown = [
            ("to_accept", _("待受理"), f"{url}?queue=dispatch&state={CaseState.SUBMITTED}", False),
            ("to_dispatch", _("待派遣"), f"{url}?queue=dispatch&state={CaseState.ACCEPTED}", False),
            *shown,
            ("flagged", _("督办"), f"{url}?queue=flagged", True),
        ]
    if scope.roles & {Role.STREET_ADMIN}:
        shown.insert(
            2,
            (
                "escalated",
                _("上报待派遣"),
                f"{url}?queue=escalated&state={CaseState.ACCEPTED}",
                False,
            ),
        )
    return [
        WorkCount(f"cases.{key}", label, totals[key], link, urgent)
        for key, label, link, urgent in shown
    ]


def cases_handled_by(user_id: int) -> QuerySet[Case]:
    """The cases a person handled as the main handler (主办), newest first: the record of
    their work that cadre development shows on a cadre's page (cadres.selectors). No scope
    applies here: the caller has already decided the viewer may see this person's record,
    and shows only each case's title, state and date."""
    return (
        Case.objects.filter(handler_id=user_id)
        .select_related("region", "region__parent")
        .order_by("-created_at", "-id")
    )


def split_links(user: Any, case: Any) -> list[related.Link]:
    """The case page's links between a request split in two (services.case_split): the
    original names the cases split from it, a split case its original; only those the
    viewer may open. One query."""
    found = (
        Case.objects.visible_to(user)
        .filter(Q(pk=case.split_from_id) | Q(split_from_id=case.pk))
        .only("code", "title", "state", "split_from_id")
        .order_by("pk")
    )
    return [
        related.Link(
            kind=_("拆分自") if other.pk == case.split_from_id else _("拆分出"),
            text=other.code,
            url=other.get_absolute_url(),
            note=other.get_state_display(),
        )
        for other in found
    ]
