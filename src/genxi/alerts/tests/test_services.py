"""The scan, acting on a warning, dismissing it, and the month's focus problem."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from genxi.alerts import selectors, services
from genxi.alerts.models import EarlyWarning, FocusProblem, FocusState, Kind, WarningState
from genxi.cases.models import Case
from genxi.core.models import AuditEvent
from genxi.core.stats import headline_counts
from genxi.core.workbench import work_for

from .helpers import backdated, category, warning

pytestmark = pytest.mark.django_db


def _recurrence(world, times=3):
    today = timezone.localdate()
    cat = category()
    cases = backdated(
        world.grid_a1,
        cat,
        [today - timedelta(days=d) for d in range(2, 2 + 10 * times, 10)],
        place_key="彩香新村3幢",
    )
    return today, cat, cases


def test_scan_raises_a_recurrence_once_and_refreshes_it(world):
    today, cat, cases = _recurrence(world)
    first = services.scan(today=today)
    assert first.new == 1
    w = EarlyWarning.objects.get()
    assert (w.kind, w.region, w.grid, w.category, w.place_key) == (
        Kind.RECURRENCE,
        world.a1,
        world.grid_a1,
        cat,
        "彩香新村3幢",
    )
    assert set(w.cases.values_list("pk", flat=True)) == {c.pk for c in cases}
    assert AuditEvent.objects.filter(verb="warning.raise", target_id=str(w.pk)).count() == 1
    # the next day, and one more case: the same warning, refreshed
    backdated(world.grid_a1, cat, [today], place_key="彩香新村3幢")
    again = services.scan(today=today + timedelta(days=1))
    assert (again.new, again.updated) == (0, 1)
    w.refresh_from_db()
    assert EarlyWarning.objects.count() == 1 and w.observed == 4 and w.cases.count() == 4


def test_two_cases_are_not_a_recurrence(world):
    today, _cat, _cases = _recurrence(world, times=2)
    assert services.scan(today=today).new == 0


def test_scan_finds_a_planted_hotspot(world):
    """A year of a category's cases spread over two communities, then 8 within 60 m in the
    last three weeks."""
    today = timezone.localdate()
    cat = category()
    spread = [today - timedelta(days=40 + 7 * i) for i in range(45)]
    lats = [31.3205 + 0.0025 * (i % 5) for i in range(45)]
    lons = [120.5905 + 0.0008 * (i // 5) for i in range(45)]
    backdated(world.grid_a1, cat, spread, lat=lats, lon=lons)
    cluster = backdated(
        world.grid_a1b,
        cat,
        [today - timedelta(days=2 * i) for i in range(8)],
        lat=[31.3210 + 0.0001 * i for i in range(8)],
        lon=[120.5930 + 0.0001 * (i % 3) for i in range(8)],
    )
    services.scan(today=today)
    hot = EarlyWarning.objects.filter(kind=Kind.HOTSPOT)
    assert hot.count() == 1
    w = hot.get()
    assert {c.pk for c in cluster} <= set(w.cases.values_list("pk", flat=True))
    assert w.region == world.a1 and w.lat == pytest.approx(31.3213, abs=0.001)


def test_act_turns_a_warning_into_a_proactive_case(world):
    w = warning(staff=world.users["community"], community=world.a1, grid=world.grid_a1)
    case = services.warning_act(actor=world.users["community"], warning=w, text="")
    w.refresh_from_db()
    assert (w.state, w.case, w.decided_by) == (WarningState.ACTED, case, world.users["community"])
    assert (
        case.channel == "proactive" and case.region == world.grid_a1 and case.category == w.category
    )
    assert w.cases.first().code in case.text  # linked to the cases behind it
    assert list(case.from_warnings.all()) == [w]  # and back
    event = AuditEvent.objects.get(verb="warning.act")
    assert event.after["state"] == "acted" and event.before["state"] == "open"
    # The case's page leads back to the warning (core/related.py), for those who see both.
    assert [link.url for link in selectors.warnings_of_case(world.users["street"], case)] == [
        w.get_absolute_url()
    ]
    assert selectors.warnings_of_case(world.users["outsider"], case) == []
    with pytest.raises(ValidationError) as exc:
        services.warning_act(actor=world.users["community"], warning=w)
    assert "state" in exc.value.message_dict


@pytest.mark.parametrize("role", ["grid", "outsider", "unit", "system_admin"])
def test_only_the_staff_over_it_act(world, role):
    w = warning(staff=world.users["community"], community=world.a1, grid=world.grid_a1)
    before = Case.objects.count()
    with pytest.raises(PermissionDenied):
        services.warning_act(actor=world.users[role], warning=w)
    with pytest.raises(PermissionDenied):
        services.warning_dismiss(actor=world.users[role], warning=w, reason="不是问题")
    w.refresh_from_db()
    assert w.state == WarningState.OPEN and Case.objects.count() == before


def test_dismiss_needs_a_reason_and_is_not_raised_again(world):
    today, _cat, _cases = _recurrence(world)
    services.scan(today=today)
    w = EarlyWarning.objects.get()
    with pytest.raises(ValidationError) as exc:
        services.warning_dismiss(actor=world.users["street"], warning=w, reason="  ")
    assert list(exc.value.message_dict) == ["reason"]
    w.refresh_from_db()
    assert (
        w.state == WarningState.OPEN
        and not AuditEvent.objects.filter(verb="warning.dismiss").exists()
    )
    services.warning_dismiss(actor=world.users["street"], warning=w, reason="物业已整改")
    w.refresh_from_db()
    assert (w.state, w.reason) == (WarningState.DISMISSED, "物业已整改")
    assert AuditEvent.objects.get(verb="warning.dismiss").reason == "物业已整改"
    later = services.scan(today=today + timedelta(days=1))
    assert (later.new, later.skipped) == (0, 1)


def test_focus_is_proposed_from_the_month_and_confirmed_by_the_street(world):
    today = timezone.localdate()
    last_month = today.replace(day=1) - timedelta(days=1)  # the data: the month before
    cat = category()
    backdated(world.grid_a1, cat, [last_month] * 4, place_key="彩香新村3幢")
    backdated(world.grid_a1, cat, [today] * 5, place_key="彩香新村9幢")  # not this month's
    other = category("ENV.01") if category("ENV.01") != cat else category()
    backdated(world.grid_a2, other, [last_month])
    services.propose_focus(month=today.replace(day=1))
    f = FocusProblem.objects.get(street=world.street_a)
    assert (f.category, f.place_key, f.count, f.state) == (
        cat,
        "彩香新村3幢",
        4,
        FocusState.PROPOSED,
    )
    with pytest.raises(PermissionDenied):
        services.focus_confirm(actor=world.users["community"], focus=f, choice=0)
    with pytest.raises(ValidationError) as exc:
        services.focus_confirm(actor=world.users["street"], focus=f, choice=9)
    assert list(exc.value.message_dict) == ["choice"]
    services.focus_confirm(actor=world.users["street"], focus=f, choice=1, note="先治环境")
    f.refresh_from_db()
    assert (f.state, f.category, f.confirmed_by) == (
        FocusState.CONFIRMED,
        other,
        world.users["street"],
    )
    # a confirmed one is not proposed over
    services.propose_focus(month=today.replace(day=1))
    f.refresh_from_db()
    assert f.category == other


def test_command_scans(world, capsys):
    today, _cat, _cases = _recurrence(world)
    call_command("alerts", "scan", "--date", today.isoformat())
    assert "1 new" in capsys.readouterr().out
    assert EarlyWarning.objects.count() == 1


def test_task_scans(world):
    from genxi.alerts.tasks import scan_daily

    _recurrence(world)
    result = scan_daily.enqueue()  # the immediate backend in the tests
    assert result.return_value["new"] == 1


def test_workbench_counts_open_warnings_for_the_staff(world):
    warning(staff=world.users["community"], community=world.a1, grid=world.grid_a1)
    warning(staff=world.users["outsider"], community=world.b1, grid=world.grid_b1)
    for role, n in (("community", 1), ("street", 1), ("outsider", 1)):
        counts = {c.key: c.count for c in work_for(world.users[role])}
        assert counts["alerts.open"] == n
    assert "alerts.open" not in {c.key for c in work_for(world.users["grid"])}
    assert selectors.warning_list(user=world.users["community"]).count() == 1


def test_stats_count_open_and_acted(world):
    w = warning(staff=world.users["community"], community=world.a1, grid=world.grid_a1)
    warning(staff=world.users["community"], community=world.a1, grid=world.grid_a1)
    services.warning_act(actor=world.users["community"], warning=w)
    stats = headline_counts([world.street_a, world.street_b])
    assert stats["金阊街道"]["warnings_open"] == 1 and stats["金阊街道"]["warnings_acted"] == 1
    assert stats["虎丘街道"]["warnings_open"] == 0
