"""The daily roll-ups, the month roll-ups, the deadline rows and the map's squares equal a
direct count of the cases after any sequence of case transitions (a hypothesis property
over the real services, with writes moving a case's point, place or category), and `rollups
rebuild` writes the same rows; their totals are `metrics()`'s counts."""

import contextlib
import math
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from genxi.cases import panels, rollups, selectors, services
from genxi.cases.domain.rollup import DUE_FIELDS, FIELDS
from genxi.cases.models import (
    Case,
    CaseBinRollup,
    CaseDueRollup,
    CaseMonthRollup,
    CaseRollup,
    Category,
)

pytestmark = pytest.mark.django_db

TEXTS = ["楼道里堆满了杂物影响通行", "小区路灯坏了晚上很黑", "餐馆油烟直排扰民多次反映"]
# Points in grid_a1 (two squares apart) and grid_a1b, and none (placed at grid_a1b).
PLACES = [(31.321, 120.591), None, (31.3202, 120.5903), (31.3212, 120.5935)]


def stored() -> dict[str, dict[str, int]]:
    """The roll-up rows, without empty ones, by key."""
    rows = {}
    for row in CaseRollup.objects.values("key", *FIELDS):
        key = row.pop("key")
        if any(row.values()):
            rows[key] = row
    return rows


def direct() -> dict[str, dict[str, int]]:
    rows = {}
    for row in rollups.aggregated():
        key = CaseRollup.key_of(row["day"], row["region_id"], row["category_id"], row["channel"])
        rows[key] = {k: row[k] for k in FIELDS}
    return rows


def stored_months() -> dict[str, dict[str, int]]:
    rows = {}
    for row in CaseMonthRollup.objects.values("key", *FIELDS):
        key = row.pop("key")
        if any(row.values()):
            rows[key] = row
    return rows


def direct_months() -> dict[str, dict[str, int]]:
    """The month rows counted straight from the cases: the direct daily rows summed per
    month, place, top-level category and channel."""
    parents = dict(Category.objects.values_list("pk", "parent_id"))
    rows: dict[str, dict[str, int]] = {}
    for row in rollups.aggregated():
        category = row["category_id"]
        top = (parents[category] or category) if category is not None else None
        key = CaseMonthRollup.key_of(
            row["day"].replace(day=1), row["region_id"], top, row["channel"]
        )
        total = rows.setdefault(key, dict.fromkeys(FIELDS, 0))
        for k in FIELDS:
            total[k] += row[k]
    return {k: v for k, v in rows.items() if any(v.values())}


def stored_due() -> dict[str, dict[str, int]]:
    rows = {}
    for row in CaseDueRollup.objects.values("key", *DUE_FIELDS):
        key = row.pop("key")
        if any(row.values()):
            rows[key] = row
    return rows


def direct_due() -> dict[str, dict[str, int]]:
    """The deadline rows counted case by case in Python (not the rebuild's query): each open
    case at its place and the local day of its deadline."""
    rows: dict[str, dict[str, int]] = {}
    for case in Case.objects.all():
        if case.state in ("closed", "rejected", "merged"):
            continue
        due = timezone.localtime(case.resolve_by).date() if case.resolve_by else None
        total = rows.setdefault(
            CaseDueRollup.key_of(case.region_id, due), dict.fromkeys(DUE_FIELDS, 0)
        )
        total["open"] += 1
        total["unresolved"] += case.state in ("submitted", "accepted", "dispatched", "in_progress")
        total["flagged_open"] += case.flagged
        total["escalated_open"] += case.level == "street"
    return rows


def stored_bins() -> dict[str, tuple[int, float, float]]:
    """The map's square rows holding cases, by key: (cases, Σ latitude, Σ longitude)."""
    return {
        key: (n, lat, lon)
        for key, n, lat, lon in CaseBinRollup.objects.values_list("key", "n", "lat_sum", "lon_sum")
        if n
    }


def direct_bins() -> dict[str, tuple[int, Any, Any]]:
    """The square rows counted case by case in Python (not the rebuild's query): each case
    with a point at the local day it was received, its place, its category and the square of
    about 100 m its point falls in (the longitude step fixed at GENXI_MAP_BIN_LAT); the
    sums compared within floating-point rounding."""
    step_lat = 100 / 111_320
    step_lon = step_lat / math.cos(math.radians(settings.GENXI_MAP_BIN_LAT))
    rows: dict[str, list[float]] = {}
    for case in Case.objects.exclude(lat=None).exclude(lon=None):
        key = CaseBinRollup.key_of(
            timezone.localtime(case.created_at).date(),
            case.region_id,
            case.category_id,
            math.floor(case.lat / step_lat),
            math.floor(case.lon / step_lon),
        )
        total = rows.setdefault(key, [0, 0.0, 0.0])
        total[0] += 1
        total[1] += case.lat
        total[2] += case.lon
    return {
        k: (int(n), pytest.approx(lat), pytest.approx(lon)) for k, (n, lat, lon) in rows.items()
    }


def _move(w, case: Case, place: tuple[float, float] | None, category: Category | None) -> None:
    """A write moving a case's point (and with it its grid) and category, the roll-ups
    moved in its transaction as the services move them (`case_act`): no service moves a
    point yet (a case is placed at intake), the roll-ups must follow when one does."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        steps = rollups.steps_for(case)
        counted, due, binned = (
            rollups.state_of(case, steps),
            rollups.due_of(case),
            rollups.bin_of(case),
        )
        case.lat, case.lon = place or (None, None)
        case.region = w.grid_a1 if place and place[1] < 120.592 else w.grid_a1b
        case.category = category
        case.save()
        rollups.move(counted, rollups.state_of(case, steps))
        rollups.move_due(due, rollups.due_of(case))
        rollups.move_bins(binned, rollups.bin_of(case))


def _steps(w):
    """The steps by name: (who, action, fields)."""
    env, fac = Category.objects.get(code="ENV.02"), Category.objects.get(code="FAC.02")
    return {
        "accept": ("community", "accept", {}),
        "accept_fac": ("community", "accept", {"category": fac}),
        "reject": ("community", "reject", {"reason": "不属于受理范围"}),
        "merge": ("community", "merge", {}),
        "to_grid": ("community", "dispatch", {"handler": w.users["grid"], "category": env}),
        "to_unit": ("community", "dispatch", {"handler": w.users["unit"]}),
        "grid_take": ("grid", "take", {}),
        "grid_return": ("grid", "return", {"reason": "不属于网格职责"}),
        "grid_up": ("grid", "escalate", {"reason": "需要街道协调"}),
        "grid_resolve": ("grid", "resolve", {"result": "已清理完毕"}),
        "unit_take": ("unit", "take", {}),
        "unit_resolve": ("unit", "resolve", {"result": "已修复"}),
        "up": ("community", "escalate", {"reason": "涉及执法,社区无权处理"}),
        "to_officer": ("street", "dispatch", {"handler": w.users["officer"]}),
        "down": ("street", "send_down", {"reason": "请社区先协调"}),
        "officer_take": ("officer", "take", {}),
        "ask_days": ("officer", "request_extension", {"days": 3, "reason": "需要等待配件"}),
        "give_days": ("street", "approve_extension", {}),
        "officer_resolve": ("officer", "resolve", {"result": "已处理"}),
        "verify": ("street", "verify", {}),
        "send_back": ("street", "send_back", {"reason": "现场未处理干净"}),
        "satisfied": ("street", "rate", {"rating": "satisfied"}),
        "unsatisfied": ("street", "rate", {"rating": "unsatisfied"}),
        "basically": ("street", "rate", {"rating": "basically"}),
        "close": ("street", "close", {}),
        "reopen": ("street", "reopen", {"reason": "居民反映问题复发"}),
        "flag": ("street", "flag", {}),
    }


# The paths a case may take; each "act" moves one case one step along its path, and a
# "poke" tries any step on any case (refusals are part of it).
SCRIPTS = [
    "accept to_grid grid_take grid_resolve verify satisfied close",
    "accept up to_officer officer_take ask_days give_days officer_resolve verify unsatisfied"
    " close reopen officer_take officer_resolve",
    "reject",
    "merge",
    "accept_fac to_grid grid_take grid_up down to_unit unit_take unit_resolve send_back"
    " unit_resolve verify basically close",
    "accept to_grid grid_return flag to_unit unit_take unit_resolve verify",
]
STEP_NAMES = sorted({n for path in SCRIPTS for n in path.split()} | {"flag", "reopen"})

operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("new"),
            st.integers(0, len(SCRIPTS) - 1),
            st.integers(0, len(PLACES) - 1),
            st.sampled_from(["phone", "walk_in"]),
        ),
        st.tuples(
            st.just("move"), st.integers(0, 30), st.integers(0, len(PLACES) - 1), st.integers(0, 2)
        ),
        st.tuples(st.just("act"), st.integers(0, 30), st.just(0), st.integers(0, 30)),
        st.tuples(st.just("act"), st.integers(0, 30), st.just(0), st.integers(0, 30)),
        st.tuples(st.just("act"), st.integers(0, 30), st.just(0), st.integers(0, 30)),
        st.tuples(st.just("poke"), st.integers(0, 30), st.integers(0, 99), st.integers(0, 30)),
        st.tuples(st.just("wait"), st.integers(1, 72), st.just(0), st.just(0)),
    ),
    min_size=4,
    max_size=40,
)


@hsettings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations)
def test_rollups_equal_a_direct_count_after_any_transitions(escalation, ops):
    w = escalation
    steps = _steps(w)
    categories = [None, *Category.objects.filter(code__in=["ENV.02", "FAC.02"]).order_by("code")]
    real_now = timezone.now
    offset = [timedelta()]
    cases: list[tuple[Case, list[str]]] = []
    # The services' clock moves on (responses and resolutions fall late); a case's
    # received time stays the real one.
    with mock.patch.object(timezone, "now", lambda: real_now() + offset[0]):
        for kind, a, b, c in ops:
            if kind == "wait":
                offset[0] += timedelta(hours=a)
                continue
            if kind == "new":
                place = PLACES[b]
                case = services.case_create(
                    actor=w.users["community"],
                    channel=c,
                    text=TEXTS[a % len(TEXTS)],
                    lat=place[0] if place else None,
                    lon=place[1] if place else None,
                    region=None if place else w.grid_a1b,
                )
                cases.append((case, SCRIPTS[a].split()))
                continue
            if not cases:
                continue
            case, path = cases[a % len(cases)]
            if kind == "move":
                _move(w, case, PLACES[b], categories[c])
                continue
            if kind == "act":  # the next few steps of its path
                names = [path.pop(0) for _ in range(1 + c % 5) if path]
            else:
                names = [STEP_NAMES[b % len(STEP_NAMES)]]
            for name in names:
                who, action, fields = steps[name]
                if action == "merge":
                    fields = {"master": cases[c % len(cases)][0], "reason": "重复"}
                with contextlib.suppress(PermissionDenied, ValidationError):
                    services.case_act(actor=w.users[who], case=case, action=action, **fields)
        # 当前 at the services' moment: the deadline rows equal the cases, and the overdue
        # figure the queue's own overdue count (`Case.is_overdue`).
        admin = w.users["system_admin"]
        for place in (w.street_a, w.grid_a1b):
            shown = panels.current(admin, place)
            under = Case.objects.filter(region__path__startswith=place.path)
            assert shown["overdue"] == under.overdue().count()
            assert shown["open"] == under.open().count()
            assert shown["flagged"] == under.open().filter(flagged=True).count()
            assert shown["escalated"] == under.open().filter(level="street").count()
    assert stored() == direct()
    assert stored_months() == direct_months()
    assert stored_due() == direct_due()
    assert stored_bins() == direct_bins()


def test_rebuild_writes_the_same_rows_and_metrics_agree(escalation):
    w = escalation
    for text in TEXTS:
        case = services.case_create(
            actor=w.users["community"], channel="phone", text=text, lat=31.321, lon=120.591
        )
        services.case_act(actor=w.users["community"], case=case, action="accept")
    services.case_act(
        actor=w.users["community"], case=case, action="dispatch", handler=w.users["grid"]
    )
    services.case_act(actor=w.users["grid"], case=case, action="take")
    services.case_act(actor=w.users["grid"], case=case, action="resolve", result="已清理")
    services.case_create(
        actor=w.users["community"], channel="phone", text=TEXTS[0], lat=31.3212, lon=120.5935
    )
    services.case_create(
        actor=w.users["community"], channel="phone", text=TEXTS[1], region=w.grid_a1b
    )
    kept, kept_months, kept_due = stored(), stored_months(), stored_due()
    kept_bins = stored_bins()
    assert kept_months and kept_due  # the services wrote month and deadline rows
    assert sum(n for n, _lat, _lon in kept_bins.values()) == 4  # the unplaced: in none
    call_command("rollups", "rebuild", stdout=mock.MagicMock())
    assert stored() == kept == direct()
    assert stored_months() == kept_months == direct_months()
    assert stored_due() == kept_due == direct_due()
    assert stored_bins() == direct_bins() == kept_bins
    CaseMonthRollup.objects.all().delete()
    call_command("rollups", "rebuild-months", stdout=mock.MagicMock())
    assert stored_months() == kept_months
    totals = CaseRollup.objects.aggregate(**{k: Sum(k) for k in FIELDS})
    figures = selectors.metrics(user=w.users["system_admin"])
    counts = figures["counts"]
    for name in ("received", "valid", "responded", "resolved", "rated", "reworked", "closed"):
        assert totals[name] == counts[name]
    assert sum(n for n, _lat, _lon in stored_bins().values()) == totals["received"] - 1
    grid = next(r for r in figures["levels"] if r["level"] == "grid")
    assert (
        (totals["to_grid"], totals["grid_own"])
        == (grid["received"], grid["resolved"])
        == (
            1,
            1,
        )
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_writes_at_once_all_count(escalation):
    """Eight intakes into one roll-up row at the same moment, then eight acceptances: the
    upsert adds each (no lost update, no duplicate row)."""
    from genxi.core.testing.race import needs_postgres, race

    needs_postgres()
    w = escalation

    def intake(n):
        return lambda: services.case_create(
            actor=None, channel="phone", text=f"第{n}件:楼道里堆满了杂物", region=w.grid_a1
        )

    made = race([intake(n) for n in range(8)])
    assert not made.errors and len(made.done) == 8
    accepted = race(
        [
            (lambda c=c: services.case_act(actor=w.users["community"], case=c, action="accept"))
            for c in made.done
        ]
    )
    assert not accepted.errors
    assert stored() == direct()
    assert stored_months() == direct_months()
    row = CaseRollup.objects.get()
    assert (row.received, row.responded) == (8, 8)
