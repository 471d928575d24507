"""The working-day calendar comes from the official arrangement (`genxi holidays sync`,
the chinesecalendar package): 春节 and 国庆 are days off, a 调休 Saturday is a working day,
a day an admin set by hand stays as set, a year the package lacks is refused loudly, and
the deadline command warns when a year has no calendar at all."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from genxi.cases.domain import holidays, sla
from genxi.cases.holiday_services import holidays_sync
from genxi.cases.models import CalendarDay, CalendarSource
from genxi.cases.selectors import years_without_calendar
from genxi.core.models import AuditEvent
from genxi.demo.cases import load_calendar

SPRING_FESTIVAL = date(2026, 2, 17)  # 正月初一
NATIONAL_DAY = date(2026, 10, 1)
WORKED_SATURDAY = date(2026, 2, 28)  # 春节调休: a Saturday worked


def _calendar() -> sla.WorkCalendar:
    days = list(CalendarDay.objects.values_list("date", "is_workday"))
    return sla.WorkCalendar(
        holidays=frozenset(d for d, w in days if not w),
        workdays=frozenset(d for d, w in days if w),
    )


def test_sync_fills_spring_festival_national_day_and_a_worked_saturday(db):
    assert WORKED_SATURDAY.weekday() == 5
    out = io.StringIO()
    call_command("holidays", "sync", "--year", "2026", stdout=out)
    spring = CalendarDay.objects.get(date=SPRING_FESTIVAL)
    national = CalendarDay.objects.get(date=NATIONAL_DAY)
    saturday = CalendarDay.objects.get(date=WORKED_SATURDAY)
    assert (spring.is_workday, spring.name, spring.source) == (False, "春节", "synced")
    assert (national.is_workday, national.name) == (False, "国庆节")
    assert (saturday.is_workday, saturday.name) == (True, "春节调休")
    calendar = _calendar()
    assert not calendar.is_workday(SPRING_FESTIVAL) and not calendar.is_workday(NATIONAL_DAY)
    assert calendar.is_workday(WORKED_SATURDAY)
    assert CalendarDay.objects.filter(date__year=2026).count() == len(holidays.official_days(2026))
    assert out.getvalue().startswith("2026: ")
    event = AuditEvent.objects.get(verb="calendar.sync")
    assert event.after["year"] == 2026 and event.after["created"] > 30
    assert event.after["source"].startswith("chinesecalendar ")


def test_days_set_by_hand_are_kept_and_synced_days_follow_the_source(db):
    CalendarDay.objects.create(date=NATIONAL_DAY, is_workday=True, name="值班")  # manual
    CalendarDay.objects.create(date=date(2026, 3, 10), name="本地假日")  # manual, not official
    holidays_sync(actor=None, year=2026)
    # The package corrects itself in a later release: a synced day changed, one dropped.
    CalendarDay.objects.filter(date=SPRING_FESTIVAL).update(name="旧名称")
    CalendarDay.objects.create(date=date(2026, 9, 15), name="中秋节", source=CalendarSource.SYNCED)
    result = holidays_sync(actor=None, year=2026)
    assert (result.created, result.updated, result.deleted) == (0, 1, 1)
    assert result.kept == [NATIONAL_DAY]
    national = CalendarDay.objects.get(date=NATIONAL_DAY)
    assert (national.is_workday, national.name, national.source) == (True, "值班", "manual")
    assert CalendarDay.objects.get(date=date(2026, 3, 10)).name == "本地假日"
    assert CalendarDay.objects.get(date=SPRING_FESTIVAL).name == "春节"
    assert not CalendarDay.objects.filter(date=date(2026, 9, 15)).exists()


def test_a_synced_day_changed_in_the_admin_becomes_the_admins(client, world):
    holidays_sync(actor=None, year=2026)
    day = CalendarDay.objects.get(date=WORKED_SATURDAY)
    client.force_login(world.users["system_admin"])
    url = reverse("admin:cases_calendarday_change", args=[day.pk])
    body = {"date": "2026-02-28", "is_workday": "", "name": "本市不调休"}
    assert client.post(url, body).status_code == 302
    holidays_sync(actor=None, year=2026)
    day.refresh_from_db()
    assert (day.is_workday, day.name, day.source) == (False, "本市不调休", "manual")


def test_a_year_the_package_lacks_fails_loudly_and_writes_nothing(db):
    covered = holidays.covered_years()
    year = covered.stop + 5
    with pytest.raises(CommandError) as exc:
        call_command("holidays", "sync", "--year", str(year))
    message = str(exc.value)
    assert str(year) in message and f"{covered.start}–{covered.stop - 1}" in message
    assert holidays.package_version() in message
    assert not CalendarDay.objects.exists()
    assert not AuditEvent.objects.filter(verb="calendar.sync").exists()


def test_the_demo_syncs_the_years_the_package_carries(db):
    notes = []
    this_year = timezone.localdate().year
    load_calendar(notes.append)
    covered = holidays.covered_years()
    for year in (this_year - 1, this_year, this_year + 1):
        has_rows = CalendarDay.objects.filter(date__year=year).exists()
        assert has_rows == (year in covered)
    missing = [y for y in (this_year - 1, this_year, this_year + 1) if y not in covered]
    assert len(notes) == len(missing)
    assert all(f"{year}" in note for year, note in zip(missing, notes, strict=True))


def test_years_without_a_calendar(db):
    assert years_without_calendar(date(2026, 6, 1)) == [2026]
    assert years_without_calendar(date(2026, 11, 1)) == [2026, 2027]
    CalendarDay.objects.create(date=date(2026, 10, 1), name="国庆节")
    assert years_without_calendar(date(2026, 6, 1)) == []
    assert years_without_calendar(date(2026, 10, 31)) == []
    assert years_without_calendar(date(2026, 12, 2)) == [2027]
    CalendarDay.objects.create(date=date(2027, 1, 1), name="元旦")
    assert years_without_calendar(date(2026, 12, 2)) == []


def test_the_deadline_command_warns_when_the_year_has_no_calendar(db):
    today = timezone.localdate()
    err = io.StringIO()
    call_command("case_deadlines", stdout=io.StringIO(), stderr=err)
    assert f"No holidays recorded for {today.year}" in err.getvalue()
    for year in (today.year, today.year + 1):
        CalendarDay.objects.create(date=date(year, 1, 1), name="元旦")
    err = io.StringIO()
    call_command("case_deadlines", stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == ""
