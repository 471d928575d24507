"""The pure parts: the waiting list as a state machine (hypothesis), the iCalendar text,
the calendar's weeks."""

from datetime import UTC, date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from genxi.events.domain import ical, waitlist
from genxi.events.domain.calendar import month_weeks, weekends


@settings(max_examples=200, deadline=None)
@given(
    capacity=st.integers(min_value=1, max_value=6),
    steps=st.lists(st.one_of(st.just("join"), st.integers(min_value=0, max_value=20)), max_size=40),
)
def test_the_waiting_list_keeps_capacity_and_order(capacity, steps):
    """Joins and cancellations in any order: never more places than the capacity, a free
    place is always taken by the earliest waiting, and the waiting keep arrival order."""
    entries: dict[int, str] = {}
    for step in steps:
        rows = [waitlist.Entry(s, st_) for s, st_ in entries.items()]
        if step == "join":
            seq = len(entries) + 1
            entries[seq] = waitlist.admit(rows, capacity)
        else:
            live = [s for s, st_ in entries.items() if st_ != "cancelled"]
            if not live:
                continue
            seq = live[step % len(live)]
            was_registered = entries[seq] == "registered"
            entries[seq] = "cancelled"
            rows = [waitlist.Entry(s, st_) for s, st_ in entries.items()]
            moved = waitlist.promote(rows, capacity)
            waiting = sorted(s for s, st_ in entries.items() if st_ == "waitlisted")
            assert moved == (waiting[:1] if was_registered else [])
            for s in moved:
                entries[s] = "registered"
        taken = [s for s, st_ in entries.items() if st_ == "registered"]
        waiting = [s for s, st_ in entries.items() if st_ == "waitlisted"]
        assert len(taken) <= capacity
        assert not waiting or len(taken) == capacity
        rows = [waitlist.Entry(s, st_) for s, st_ in entries.items()]
        assert [waitlist.position(rows, s) for s in sorted(waiting)] == list(
            range(1, len(waiting) + 1)
        )


def test_text_is_escaped_and_lines_folded_at_75_octets():
    body = ical.calendar(
        "彩香一村社区·周末社区",
        [
            ical.VEvent(
                uid="event-1@genxi",
                starts=datetime(2026, 12, 5, 1, 0, tzinfo=UTC),
                ends=datetime(2026, 12, 5, 3, 0, tzinfo=UTC),
                summary="围巾, 手套; 发放\\温暖",
                location="活动室\n二楼",
                description="冬日送暖" * 30,
            )
        ],
        now=datetime(2026, 12, 1, tzinfo=UTC),
    )
    assert body.endswith("END:VCALENDAR\r\n") and "\n" not in body.replace("\r\n", "")
    for line in body.split("\r\n"):
        assert len(line.encode()) <= 75
    lines = ical.unfold(body)
    assert "SUMMARY:围巾\\, 手套\\; 发放\\\\温暖" in lines
    assert "LOCATION:活动室\\n二楼" in lines
    assert "DESCRIPTION:" + "冬日送暖" * 30 in lines
    assert "DTSTART:20261205T010000Z" in lines


def test_a_month_is_whole_weeks_from_monday():
    weeks = month_weeks(date(2026, 12, 1))
    assert weeks[0][0] == date(2026, 11, 30) and weeks[-1][-1] == date(2027, 1, 3)
    assert all(len(w) == 7 for w in weeks)
    assert weekends(date(2026, 12, 1))[:2] == [date(2026, 12, 5), date(2026, 12, 6)]
