"""The pure parts: household keys, cycles, the plan (property tests), care due dates."""

from __future__ import annotations

from collections import Counter
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from genxi.fieldwork.domain.care import days_missed, due_date, every_days, warn_levels
from genxi.fieldwork.domain.cycles import cycle_bounds, months_left
from genxi.fieldwork.domain.households import building_label, household_key
from genxi.fieldwork.domain.plan import balance, plan_cycle, plan_month


def test_one_household_however_the_address_is_written():
    keys = {
        household_key(a)
        for a in (
            "彩香新村25栋2单元301室",
            "彩香小区 25 幢 2 单元 301 室",
            "彩香新村25-2-301",
            "苏州市姑苏区金阊街道彩香新村２５号楼2单元301室",
        )
    }
    assert keys == {"彩香25幢2单元301室"}
    assert household_key("彩香新村25幢2单元302室") != household_key("彩香新村25幢2单元301室")
    assert household_key("") == ""
    assert building_label("彩香新村25栋2单元301室") == "彩香新村25幢"


def test_cycles_follow_the_calendar():
    assert cycle_bounds(date(2026, 12, 2), 3) == (date(2026, 10, 1), date(2027, 1, 1))
    assert cycle_bounds(date(2026, 2, 28), 1) == (date(2026, 2, 1), date(2026, 3, 1))
    assert cycle_bounds(date(2026, 7, 1), 6) == (date(2026, 7, 1), date(2027, 1, 1))
    assert months_left(date(2026, 10, 15), 3) == 3
    assert months_left(date(2026, 12, 1), 3) == 1


@given(
    households=st.lists(st.integers(0, 10_000), unique=True, max_size=300),
    people=st.lists(st.text(min_size=1, max_size=3), unique=True, min_size=1, max_size=12),
    months=st.sampled_from([1, 2, 3, 6, 12]),
)
def test_a_cycle_covers_every_household_once_and_balances_each_month(households, people, months):
    plans = plan_cycle(households, people, months)
    assert len(plans) == months
    planned = [h for plan in plans for h in plan]
    assert sorted(planned) == sorted(households)  # every household, once
    for plan in plans:
        loads = Counter(plan.values())
        counts = [loads.get(p, 0) for p in people]
        assert max(counts) - min(counts) <= 1


@given(
    due=st.lists(st.integers(0, 1000), unique=True, max_size=200),
    people=st.lists(st.integers(0, 50), unique=True, min_size=1, max_size=8),
    left=st.integers(1, 12),
    loads=st.lists(st.integers(0, 5), max_size=8),
)
def test_an_edited_month_is_evened_out(due, people, left, loads):
    """Households added to a month with uneven loads go to the least loaded first: the
    spread never grows, and shrinks to one once there are enough."""
    load = dict(zip(people, loads, strict=False))
    plan = plan_month(due, people, left, load)
    final = Counter({p: load.get(p, 0) for p in people})
    final.update(plan.values())
    before = [load.get(p, 0) for p in people]
    after = [final[p] for p in people]
    assert max(after) - min(after) <= max(max(before) - min(before), 1)
    assert set(plan) <= set(due)


def test_balance_needs_someone():
    try:
        balance([1], [])
    except ValueError:
        return
    raise AssertionError("balance([1], []) should refuse")


def test_care_due_and_warnings():
    rules = {"elderly_alone": 7, "disabled": 0, "low_income": 30}
    assert every_days(["elderly_alone", "low_income"], rules) == 7
    assert every_days(["disabled"], rules) is None
    assert every_days(["veteran"], rules) is None
    due = due_date(date(2026, 12, 1), date(2026, 1, 1), 7)
    assert due == date(2026, 12, 8)
    assert due_date(None, date(2026, 12, 1), 7) == date(2026, 12, 8)
    assert warn_levels(due, date(2026, 12, 8)) == []
    assert warn_levels(due, date(2026, 12, 9)) == ["grid"]
    assert warn_levels(due, date(2026, 12, 10)) == ["grid", "community"]
    assert days_missed(due, date(2026, 12, 7)) == 0
