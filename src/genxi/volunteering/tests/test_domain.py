"""The points' arithmetic, pure: rules, bonuses, and that totals add up from their parts."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from genxi.volunteering.domain.points import (
    DEFAULT_RULES,
    KINDS,
    SOURCES,
    Item,
    Rules,
    Service,
    points_for,
    tally,
)

RULES = Rules(
    per_hour={"event": Decimal(10), "duty": Decimal(8), "case": Decimal(12), "manual": Decimal(5)},
    weekend_percent=50,
    kind_percent={"new_employment": 20},
    first_of_year=Decimal(20),
)
SATURDAY, MONDAY = date(2026, 3, 7), date(2026, 3, 9)


def test_base_points_are_hours_times_the_sources_rate():
    p = points_for(Service(Decimal("2.5"), "duty", "party_member", MONDAY), RULES)
    assert (p.base, p.weekend, p.kind, p.first, p.total) == (
        Decimal(20),
        Decimal(0),
        Decimal(0),
        Decimal(0),
        Decimal(20),
    )


def test_weekend_kind_and_first_of_year_bonuses_add_on_top():
    p = points_for(Service(Decimal(2), "event", "new_employment", SATURDAY, True), RULES)
    assert p.base == 20 and p.weekend == 10 and p.kind == 4 and p.first == 20
    assert p.total == Decimal(54)


def test_rules_survive_their_json():
    assert Rules.from_json(DEFAULT_RULES.as_json()) == DEFAULT_RULES
    assert Rules.from_json(RULES.as_json()) == RULES


items = st.builds(
    Item,
    day=st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31)),
    source=st.sampled_from(SOURCES),
    hours=st.decimals(min_value=0, max_value=24, places=1),
    points=st.decimals(min_value=0, max_value=500, places=1),
)


@settings(suppress_health_check=[HealthCheck.too_slow])  # the shared machine is slow
@given(st.lists(items, max_size=40))
def test_hours_and_points_add_up_from_their_sources_and_months(found):
    t = tally(found)
    assert t.count == len(found)
    assert t.hours == sum((i.hours for i in found), Decimal(0))
    assert t.points == sum((i.points for i in found), Decimal(0))
    for table in (t.by_source, t.by_month):
        assert sum((h for h, _ in table.values()), Decimal(0)) == t.hours
        assert sum((p for _, p in table.values()), Decimal(0)) == t.points
    assert list(t.by_month) == sorted(t.by_month)


@given(
    hours=st.decimals(min_value=0, max_value=24, places=1),
    source=st.sampled_from(SOURCES),
    kind=st.sampled_from(KINDS),
    offset=st.integers(min_value=0, max_value=6),
    first=st.booleans(),
)
def test_points_are_the_sum_of_their_parts_and_never_negative(hours, source, kind, offset, first):
    day = MONDAY + timedelta(days=offset)
    p = points_for(Service(hours, source, kind, day, first), RULES)
    assert p.total == p.base + p.weekend + p.kind + p.first >= 0
    assert (p.weekend > 0) <= (day.weekday() >= 5)
    more = points_for(Service(hours + 1, source, kind, day, first), RULES)
    assert more.total >= p.total
