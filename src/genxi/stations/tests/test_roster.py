"""The duty roster's writes and reads: signing up, giving back, swapping (the other
accepts), the reminders the day before, the community warned of an unstaffed shift within
48 hours, and the duty hours a volunteer did."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from genxi.core.models import AuditEvent, Notification
from genxi.core.workbench import work_for
from genxi.stations import selectors, services
from genxi.stations.domain.hours import TZ, parse_day
from genxi.stations.models import DutyShift, SwapStatus

from .helpers import station, volunteer

MONDAY = date(2030, 12, 2)
SUNDAY_NOON = datetime(2030, 12, 1, 12, 0, tzinfo=TZ)
SHIFTS = {d: parse_day("08:00-12:00, 12:00-16:00") for d in range(7)}


@pytest.fixture
def setup(world):
    s = station(world, manager=world.users["community"])
    services.duty_pattern_set(actor=world.users["community"], station=s, weekly=SHIFTS)
    s.refresh_from_db()
    duty = volunteer(world, s, username="duty")
    other = volunteer(world, s, username="other")
    return s, duty, other


def _pioneer(user, s):
    return services.own_pioneer(user, s)


def test_sign_up_once_a_shift(world, setup):
    s, duty, other = setup
    shift = services.shift_take(actor=duty, station=s, day=MONDAY, start=480, now=SUNDAY_NOON)
    assert (shift.start, shift.end, shift.pioneer) == (480, 720, _pioneer(duty, s))
    assert AuditEvent.objects.filter(verb="duty.take").count() == 1
    with pytest.raises(ValidationError) as exc:  # taken
        services.shift_take(actor=other, station=s, day=MONDAY, start=480, now=SUNDAY_NOON)
    assert "shift" in exc.value.message_dict
    with pytest.raises(ValidationError):  # not a shift of the roster
        services.shift_take(actor=other, station=s, day=MONDAY, start=500, now=SUNDAY_NOON)
    with pytest.raises(ValidationError):  # ended
        services.shift_take(
            actor=other, station=s, day=MONDAY, start=720, now=datetime(2030, 12, 3, tzinfo=TZ)
        )
    with pytest.raises(PermissionDenied):  # not a volunteer here
        services.shift_take(
            actor=world.users["grid"], station=s, day=MONDAY, start=720, now=SUNDAY_NOON
        )
    with pytest.raises(PermissionDenied):  # a volunteer may not sign another up
        services.shift_take(
            actor=duty,
            station=s,
            day=MONDAY,
            start=720,
            pioneer=_pioneer(other, s),
            now=SUNDAY_NOON,
        )
    # The staff put a volunteer on a shift.
    staffed = services.shift_take(
        actor=world.users["community"],
        station=s,
        day=MONDAY,
        start=720,
        pioneer=_pioneer(other, s),
        now=SUNDAY_NOON,
    )
    assert staffed.pioneer == _pioneer(other, s)
    services.shift_release(actor=duty, shift=shift, now=SUNDAY_NOON)
    assert not DutyShift.objects.filter(pk=shift.pk).exists()
    with pytest.raises(PermissionDenied):  # another's
        services.shift_release(actor=duty, shift=staffed, now=SUNDAY_NOON)


def test_a_swap_changes_hands_when_the_other_accepts(world, setup):
    s, duty, other = setup
    shift = services.shift_take(actor=duty, station=s, day=MONDAY, start=480, now=SUNDAY_NOON)
    swap = services.swap_offer(actor=duty, shift=shift, to=_pioneer(other, s), now=SUNDAY_NOON)
    assert Notification.objects.filter(user=other, verb="duty.swap_offer").exists()
    with pytest.raises(ValidationError):  # one waiting at a time
        services.swap_offer(actor=duty, shift=shift, to=_pioneer(other, s), now=SUNDAY_NOON)
    with pytest.raises(PermissionDenied):  # only the one asked answers
        services.swap_answer(actor=duty, swap=swap, accept=True)
    assert list(selectors.swaps_waiting(user=other)) == [swap]
    services.swap_answer(actor=other, swap=swap, accept=True)
    shift.refresh_from_db()
    swap.refresh_from_db()
    assert shift.pioneer == _pioneer(other, s) and swap.status == SwapStatus.ACCEPTED
    assert Notification.objects.filter(user=duty, verb="duty.swap_answer").exists()
    with pytest.raises(ValidationError):  # answered already
        services.swap_answer(actor=other, swap=swap, accept=False)
    # Declined: the shift stays.
    back = services.swap_offer(actor=other, shift=shift, to=_pioneer(duty, s), now=SUNDAY_NOON)
    services.swap_answer(actor=duty, swap=back, accept=False)
    shift.refresh_from_db()
    assert shift.pioneer == _pioneer(other, s)
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"duty.swap_offer", "duty.swap_accept", "duty.swap_decline"} <= verbs


def test_reminders_go_the_day_before_once(world, setup):
    s, duty, other = setup
    services.shift_take(actor=duty, station=s, day=MONDAY, start=480, now=SUNDAY_NOON)
    services.shift_take(
        actor=other, station=s, day=MONDAY + timedelta(days=1), start=480, now=SUNDAY_NOON
    )
    saturday = datetime(2030, 11, 30, 20, tzinfo=TZ)
    assert services.send_reminders(now=saturday) == 0
    assert services.send_reminders(now=SUNDAY_NOON) == 1
    assert services.send_reminders(now=SUNDAY_NOON) == 0  # once
    note = Notification.objects.get(verb="duty.reminder")
    assert note.user == duty and "12-02 8:00-12:00" in note.text


def test_the_community_is_warned_of_an_unstaffed_shift_within_48_hours(world, setup):
    s, duty, _other = setup
    # Only Monday's morning and Tuesday's shifts: the rest of the week off
    services.duty_pattern_set(
        actor=world.users["community"],
        station=s,
        weekly={0: parse_day("08:00-12:00, 12:00-16:00"), 1: parse_day("08:00-12:00")},
    )
    s.refresh_from_db()
    services.shift_take(actor=duty, station=s, day=MONDAY, start=480, now=SUNDAY_NOON)
    assert services.warn_unstaffed(now=SUNDAY_NOON) == 2  # Monday 12:00, Tuesday 8:00
    note = Notification.objects.get(verb="duty.unstaffed", user=world.users["community"])
    assert "12-02 12:00-16:00" in note.text and "12-03 8:00-12:00" in note.text
    assert services.warn_unstaffed(now=SUNDAY_NOON + timedelta(hours=1)) == 0  # once a shift
    # The workbench counts them for the community and the volunteers.
    counts = {w.key: w.count for w in work_for(world.users["community"])}
    gaps = selectors.unstaffed([s], now=SUNDAY_NOON)
    assert len(gaps) == 2
    assert "stations.unstaffed" in counts
    assert {w.key for w in work_for(duty)} >= {"stations.unstaffed", "stations.overdue"}


def test_duty_hours_per_volunteer(world, setup):
    s, duty, other = setup
    for day in (MONDAY, MONDAY + timedelta(days=1)):
        services.shift_take(actor=duty, station=s, day=day, start=480, now=SUNDAY_NOON)
    services.shift_take(actor=other, station=s, day=MONDAY, start=720, now=SUNDAY_NOON)
    mid_tuesday = datetime(2030, 12, 3, 10, 0, tzinfo=TZ)
    p = _pioneer(duty, s)
    assert selectors.duty_minutes(pioneer=p, until=mid_tuesday) == 240 + 120
    assert selectors.duty_minutes(pioneer=p, until=mid_tuesday, since=MONDAY + timedelta(1)) == 120
    assert selectors.duty_minutes_by_pioneer([p.pk, _pioneer(other, s).pk], until=mid_tuesday) == {
        p.pk: 360,
        _pioneer(other, s).pk: 240,
    }


def test_a_dated_exception_gives_back_shifts_it_removes(world, setup):
    s, duty, _other = setup
    services.shift_take(actor=duty, station=s, day=MONDAY, start=720, now=SUNDAY_NOON)
    services.duty_exception_set(
        actor=world.users["community"],
        station=s,
        day=MONDAY,
        intervals=parse_day("08:00-12:00"),
        note="下午停电",
    )
    assert not DutyShift.objects.exists()
    assert Notification.objects.filter(user=duty, verb="duty.cancelled").exists()
    rows = selectors.roster_rows(station=s, user=duty, now=SUNDAY_NOON)
    monday = [r for r in rows if r.shift.day == MONDAY]
    assert [(r.shift.start, r.taken) for r in monday] == [(480, None)]
    with pytest.raises(PermissionDenied):
        services.duty_exception_set(actor=duty, station=s, day=MONDAY, intervals=(), note="x")
