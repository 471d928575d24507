"""The panels read whole months from the month roll-ups and the days at a period's edges
from the daily ones (`cases.panels.spans`): their answers are those of the daily rows alone
and of a direct count, for periods aligned on months or not, with or without a category."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from genxi.cases import panels as case_panels
from genxi.cases import rollups, selectors
from genxi.cases.domain.rollup import COUNTS
from genxi.cases.models import Case
from genxi.core.panels import Period, answer, panels_for, shared
from genxi.dashboards import selectors as dashboard_selectors


def _days_of(parts) -> dict[date, int]:
    """How many times each day is counted by a period's reading."""
    counted: dict[date, int] = {}
    for kind, sign, first, end in parts:
        day = first
        while day < end:
            counted[day] = counted.get(day, 0) + sign
            day += timedelta(days=1)
        if kind == "month":
            assert first.day == 1 and end.day == 1
    return {d: n for d, n in counted.items() if n}


@given(start=st.dates(date(2024, 1, 1), date(2027, 12, 31)), days=st.integers(1, 800))
def test_the_parts_of_a_period_count_each_of_its_days_once(start, days):
    period = Period(start, start + timedelta(days=days))
    counted = _days_of(case_panels.spans(period))
    assert counted == {start + timedelta(days=i): 1 for i in range(days)}


def _days_only(period: Period):
    return [("day", 1, period.start, period.end)]


@pytest.mark.django_db
def test_month_reading_answers_as_the_days_and_a_direct_count(cases):
    w = cases
    now = timezone.now()
    # The cases spread over four months back (received earlier: roll-ups rebuilt).
    for n, pk in enumerate(Case.objects.order_by("pk").values_list("pk", flat=True)):
        Case.objects.filter(pk=pk).update(created_at=now - timedelta(days=17 * n + 3))
    rollups.rebuild()
    today = timezone.localdate()
    month = today.replace(day=1)
    periods = [
        Period(today - timedelta(days=29), today + timedelta(days=1)),
        Period(today - timedelta(days=150), today + timedelta(days=1), "month"),
        Period(today - timedelta(days=150), today + timedelta(days=1), "week"),
        Period((month - timedelta(days=60)).replace(day=1), month, "month"),
        Period(today - timedelta(days=140), today - timedelta(days=2), "month", "ENV"),
        Period(today - timedelta(days=140), today + timedelta(days=1), "month", "ENV.02"),
    ]
    user = w.users["street"]
    for place in (w.street_a, w.a1, w.grid_a1):
        for period in periods:
            with shared():
                by_months = [answer(p, user, place, period) for p in panels_for(place.level)]
            with mock.patch.object(case_panels, "spans", _days_only), shared():
                by_days = [answer(p, user, place, period) for p in panels_for(place.level)]
            assert by_months == by_days
            shown = case_panels.figures(user, place, period)
            bounds = selectors.received_between(period.start, period.end - timedelta(days=1))
            expected = selectors.metrics(
                user=user, region=place.code, category=period.category, **bounds
            )
            assert shown["counts"] == {k: expected["counts"][k] for k in COUNTS}
    # the page shares one read: the same answers as each panel asked alone
    period = periods[1]
    page = dashboard_selectors.dashboard(user, w.street_a, period)
    assert page == [answer(p, user, w.street_a, period) for p in panels_for("street")]
    received = case_panels.figures(user, w.street_a, period)["counts"]["received"]
    assert sum(page[2]["data"]["series"][0]["data"]) == received > 0


def _direct_volume(place, period: Period) -> dict[date, int]:
    counted: dict[date, int] = {}
    for at in Case.objects.filter(region__path__startswith=place.path).values_list(
        "created_at", flat=True
    ):
        day = timezone.localtime(at).date()
        if period.start <= day < period.end:
            counted[period.bucket(day)] = counted.get(period.bucket(day), 0) + 1
    return counted


@pytest.mark.django_db
def test_the_trend_and_last_year_are_a_direct_count(cases):
    """The trend reads this period and the same days last year in one query: each series
    is the direct count of the cases received in its buckets."""
    w = cases
    now = timezone.now()
    for n, pk in enumerate(Case.objects.order_by("pk").values_list("pk", flat=True)):
        Case.objects.filter(pk=pk).update(created_at=now - timedelta(days=53 * n + 2))
    rollups.rebuild()
    today = timezone.localdate()
    periods = [
        Period(today - timedelta(days=364), today + timedelta(days=1), "month"),
        Period(today - timedelta(days=120), today + timedelta(days=1), "week"),
        Period(today - timedelta(days=29), today + timedelta(days=1)),
    ]
    user = w.users["street"]
    seen_last_year = 0
    for place in (w.street_a, w.a1):
        for period in periods:
            shown = case_panels.volume(user, place, period)
            before = period.last_year()
            now_direct, then_direct = _direct_volume(place, period), _direct_volume(place, before)
            assert shown["series"][0]["data"] == [now_direct.get(b, 0) for b in period.buckets()]
            then = before.buckets()
            expected = [
                then_direct.get(then[i], 0) if i < len(then) else 0
                for i in range(len(period.buckets()))
            ]
            assert shown["series"][1]["data"] == expected
            seen_last_year += sum(expected)
    assert seen_last_year > 0  # the cases fall in both years
