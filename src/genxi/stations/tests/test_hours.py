"""Opening hours (domain/hours.py): parsing, and whether a station is open at a moment —
checked against a minute-by-minute reading of the same hours, for any week and any
exceptions (hypothesis)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from genxi.stations.domain.hours import (
    TZ,
    HoursError,
    format_day,
    is_open,
    parse_day,
    status,
    weekly_from_json,
    weekly_to_json,
)

WEEK = dict.fromkeys(range(5), ((480, 1200),)) | {5: ((540, 720), (840, 1080))}  # Sunday closed


def at(y, m, d, hh, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def test_parse_and_format():
    assert parse_day("08:00-12:00, 14:00-20:00") == ((480, 720), (840, 1200))
    assert parse_day("14:00 - 20:00,08:00-12:00") == ((480, 720), (840, 1200))
    assert parse_day("8:00至24:00") == ((480, 1440),)
    assert parse_day("") == ()
    assert format_day(((480, 720), (840, 1200))) == "08:00-12:00, 14:00-20:00"
    for bad in ("8-20", "20:00-08:00", "08:00-12:00, 11:00-13:00", "25:00-26:00", "08:60-09:00"):
        with pytest.raises(HoursError):
            parse_day(bad)


def test_open_closed_and_next_opening():
    monday = at(2026, 11, 30, 9)  # a Monday
    assert is_open(monday, WEEK, {})
    assert status(monday, WEEK, {}).until == at(2026, 11, 30, 20)
    evening = status(at(2026, 11, 30, 21), WEEK, {})
    assert not evening.open and evening.opens == at(2026, 12, 1, 8)
    # Saturday's lunch break, then Sunday closed: Monday 8:00 is next.
    assert status(at(2026, 12, 5, 12, 30), WEEK, {}).opens == at(2026, 12, 5, 14)
    assert status(at(2026, 12, 5, 19), WEEK, {}).opens == at(2026, 12, 7, 8)
    # An exception closes Tuesday; another opens Sunday morning.
    exceptions = {date(2026, 12, 1): (), date(2026, 12, 6): ((600, 660),)}
    assert not is_open(at(2026, 12, 1, 10), WEEK, exceptions)
    assert status(at(2026, 11, 30, 21), WEEK, exceptions).opens == at(2026, 12, 2, 8)
    assert is_open(at(2026, 12, 6, 10, 30), WEEK, exceptions)


def test_the_moment_is_read_in_shanghai():
    utc = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # 9:00 in Suzhou
    assert is_open(utc, WEEK, {})
    with pytest.raises(ValueError):
        is_open(datetime(2026, 11, 30, 9), WEEK, {})


def test_a_run_past_midnight_ends_where_it_ends():
    week = {0: ((1200, 1440),), 1: ((0, 120), (480, 600))}
    s = status(at(2026, 11, 30, 23), week, {})
    assert s.open and s.until == at(2026, 12, 1, 2)
    assert status(at(2026, 11, 30, 10), {}, {}).opens is None


# Properties ---------------------------------------------------------------------------------


@st.composite
def day_intervals(draw):
    """Sorted, non-overlapping intervals within a day (touching allowed)."""
    cuts = sorted(draw(st.sets(st.integers(0, 1440), max_size=6)))
    pairs = list(zip(cuts[::2], cuts[1::2], strict=False))
    return tuple((s, e) for s, e in pairs if e > s)


weeks = st.dictionaries(st.integers(0, 6), day_intervals(), max_size=7)
moments = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(TZ)
)


@st.composite
def exceptions_near(draw, moment):
    days = draw(st.lists(st.integers(-1, 8), max_size=4, unique=True))
    return {moment.date() + timedelta(days=d): draw(day_intervals()) for d in days}


def minute_open(moment, weekly, exceptions) -> bool:
    """The same question asked of the hours the slow way."""
    local = moment.astimezone(TZ)
    hours = exceptions.get(local.date(), weekly.get(local.weekday(), ()))
    return (local.hour * 60 + local.minute) in {m for s, e in hours for m in range(s, e)}


@settings(max_examples=300, deadline=None)
@given(weeks, moments, st.data())
def test_is_open_agrees_with_a_minute_by_minute_reading(weekly, moment, data):
    exceptions = data.draw(exceptions_near(moment))
    assert is_open(moment, weekly, exceptions) == minute_open(moment, weekly, exceptions)
    assert status(moment, weekly, exceptions).open == is_open(moment, weekly, exceptions)


@settings(max_examples=200, deadline=None)
@given(weeks, moments, st.data())
def test_status_names_the_next_change(weekly, moment, data):
    exceptions = data.draw(exceptions_near(moment))
    now = status(moment, weekly, exceptions)
    if now.open:
        assert now.until is not None and now.until > moment
        last = now.until - timedelta(minutes=1)
        assert is_open(last, weekly, exceptions)
        assert not is_open(now.until, weekly, exceptions) or now.until - moment > timedelta(days=13)
    elif now.opens is not None:
        assert now.opens > moment
        assert is_open(now.opens, weekly, exceptions)
        # Closed all the way until then (checked every 15 minutes).
        probe = moment.replace(second=0, microsecond=0)
        while probe < now.opens - timedelta(minutes=15):
            probe += timedelta(minutes=15)
            assert not is_open(probe, weekly, exceptions)


@given(weeks)
def test_stored_form_round_trips(weekly):
    kept = {d: v for d, v in weekly.items() if v}
    assert weekly_from_json(weekly_to_json(weekly)) == kept
    for intervals in kept.values():
        merged_ok = all(
            e1 <= s2 for (_s, e1), (s2, _e) in zip(intervals, intervals[1:], strict=False)
        )
        if merged_ok:
            assert parse_day(format_day(intervals)) == intervals
