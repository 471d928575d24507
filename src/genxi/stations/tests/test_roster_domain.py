"""The duty roster's pure core (domain/roster.py): expanding a weekly pattern and dated
exceptions into shifts, finding the unstaffed ones, counting duty minutes — checked against
a day-by-day reading of the same pattern for any week and exceptions (hypothesis)."""

from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from genxi.stations.domain.hours import TZ
from genxi.stations.domain.roster import Shift, duty_minutes, expand, find, unstaffed

WEEK = {0: ((480, 720), (720, 960)), 2: ((480, 720),)}  # Monday two shifts, Wednesday one


def test_expand_reads_the_pattern_and_the_exceptions():
    monday = date(2026, 11, 30)
    shifts = list(expand(monday, monday + timedelta(days=6), WEEK, {}))
    assert [(s.day.weekday(), s.start) for s in shifts] == [(0, 480), (0, 720), (2, 480)]
    # Wednesday off, Thursday an extra shift
    exceptions = {monday + timedelta(days=2): (), monday + timedelta(days=3): ((600, 660),)}
    shifts = list(expand(monday, monday + timedelta(days=6), WEEK, exceptions))
    assert [(s.day.weekday(), s.start, s.end) for s in shifts] == [
        (0, 480, 720),
        (0, 720, 960),
        (3, 600, 660),
    ]
    assert find(monday, 720, WEEK, {}) == Shift(monday, 720, 960)
    assert find(monday, 600, WEEK, {}) is None


def test_unstaffed_within_the_horizon():
    monday = date(2026, 11, 30)
    now = datetime(2026, 11, 30, 10, 0, tzinfo=TZ)  # during the first Monday shift
    gaps = unstaffed(now, 48, WEEK, {}, taken=[(monday, 720)])
    # The shift under way counts (not ended); Monday afternoon is taken; Wednesday 8:00 is
    # 46 hours away: within 48.
    assert [g.key for g in gaps] == [(monday, 480), (monday + timedelta(days=2), 480)]
    assert unstaffed(now, 24, WEEK, {}, taken=[]) == [
        Shift(monday, 480, 720),
        Shift(monday, 720, 960),
    ]


def test_duty_minutes_count_what_was_done():
    day = date(2026, 11, 30)
    shifts = [Shift(day, 480, 720), Shift(day, 720, 960)]
    assert duty_minutes(shifts, datetime(2026, 12, 1, tzinfo=TZ)) == 480
    assert duty_minutes(shifts, datetime(2026, 11, 30, 13, 30, tzinfo=TZ)) == 240 + 90
    assert duty_minutes(shifts, datetime(2026, 11, 30, 7, tzinfo=TZ)) == 0


intervals = st.lists(
    st.tuples(st.integers(0, 1439), st.integers(1, 240)), min_size=0, max_size=3
).map(
    lambda pairs: tuple(
        sorted({(s, min(s + n, 1440)) for s, n in pairs if s + n <= 1440}, key=lambda x: x[0])
    )
)


def _disjoint(day):
    out, end = [], -1
    for s, e in day:
        if s >= end:
            out.append((s, e))
            end = e
    return tuple(out)


weeks = st.dictionaries(st.integers(0, 6), intervals.map(_disjoint), max_size=7)
days = st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31))


@settings(max_examples=150, deadline=None)
@given(
    week=weeks,
    first=days,
    span=st.integers(0, 20),
    exceptions=st.dictionaries(days, intervals.map(_disjoint), max_size=5),
)
def test_expand_is_the_days_read_one_by_one(week, first, span, exceptions):
    last = first + timedelta(days=span)
    expected = []
    for n in range(span + 1):
        day = first + timedelta(days=n)
        todays = exceptions[day] if day in exceptions else week.get(day.weekday(), ())
        expected += [Shift(day, s, e) for s, e in todays]
    shifts = list(expand(first, last, week, exceptions))
    assert shifts == expected
    assert shifts == sorted(shifts)


@settings(max_examples=150, deadline=None)
@given(
    week=weeks,
    start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 1)),
    hours=st.integers(1, 96),
    taken_share=st.integers(0, 3),
)
def test_unstaffed_are_exactly_the_open_untaken_shifts_in_the_window(
    week, start, hours, taken_share
):
    now = start.replace(tzinfo=TZ)
    window = list(expand(now.date() - timedelta(days=2), now.date() + timedelta(days=6), week, {}))
    taken = [s.key for i, s in enumerate(window) if taken_share and i % (taken_share + 1) == 0]
    gaps = unstaffed(now, hours, week, {}, taken)
    horizon = now + timedelta(hours=hours)
    expected = [
        s
        for s in window
        if s.key not in set(taken) and s.ends_at() > now and s.starts_at() < horizon
    ]
    assert gaps == expected
