"""Field work's writes and reads: households follow the register, plans, visits and the
case they become, coverage against direct counts, care rounds and their warnings."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from genxi.cases.categories import ensure as ensure_categories
from genxi.cases.models import Case, Category
from genxi.core.models import AuditEvent, Notification
from genxi.core.stats import headline_counts
from genxi.fieldwork import selectors, services
from genxi.fieldwork.models import (
    CareRound,
    CareWarning,
    Household,
    HouseholdMember,
    PlanItem,
    Visit,
)
from genxi.people.services import resident_update
from genxi.regions.models import Region

TZ = timezone.get_current_timezone()


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


@pytest.fixture
def homes(world):
    """Three households in grid a1: two people at 5幢2单元301, one at 6幢, one at 7幢."""
    w = world
    people = [
        w.resident(w.grid_a1, "张一", address="彩香新村5幢2单元301室"),
        w.resident(w.grid_a1, "张二", address="彩香小区 5 栋 2 单元 301 室"),
        w.resident(w.grid_a1, "李三", address="彩香新村6幢1单元101室", tags=["elderly_alone"]),
        w.resident(w.grid_a1, "王四", address="彩香新村7幢1单元101室"),
    ]
    return people


def test_residents_make_households_as_they_are_registered(world, homes):
    households = Household.objects.filter(grid=world.grid_a1, active=True)
    assert households.count() == 3
    first = Household.objects.get(members__resident=homes[0])
    assert first.size == 2 and first.label == "彩香新村5幢"
    assert first.masked("address").endswith("****")
    assert "301" not in first.label


def test_a_resident_who_moves_changes_household(world, homes):
    old = Household.objects.get(members__resident=homes[1])
    resident_update(
        actor=world.users["community"], resident=homes[1], address="彩香新村7幢1单元101室"
    )
    old.refresh_from_db()
    assert old.size == 1
    new = Household.objects.get(members__resident=homes[1])
    assert new.size == 2 and new == Household.objects.get(members__resident=homes[3])


def test_rebuild_agrees_with_the_one_by_one_grouping(world, homes):
    before = {m.resident_id: m.household_id for m in HouseholdMember.objects.all()}
    HouseholdMember.objects.all().delete()
    counts = services.households_rebuild(actor=world.users["community"], region=world.a1)
    assert counts == {"households": 3, "residents": 4}
    assert {m.resident_id: m.household_id for m in HouseholdMember.objects.all()} == before
    assert AuditEvent.objects.filter(verb="household.rebuild").exists()
    with pytest.raises(PermissionDenied):
        services.households_rebuild(actor=world.users["grid"], region=world.a1)


def _pioneers(world, n=2):
    return [world.pioneer(world.grid_a1, f"P-{i}", f"先锋{i}") for i in range(n)]


def test_plan_covers_the_cycle_and_balances(world, homes):
    a, b = _pioneers(world)
    oct_ = date(2026, 10, 1)
    n = services.plan_generate(actor=world.users["grid"], grid=world.grid_a1, month=oct_)
    assert n == 1  # 3 households over the quarter's 3 months
    n += services.plan_generate(
        actor=world.users["grid"], grid=world.grid_a1, month=date(2026, 11, 1)
    )
    n += services.plan_generate(
        actor=world.users["grid"], grid=world.grid_a1, month=date(2026, 12, 1)
    )
    assert n == 3
    assert PlanItem.objects.values("household").distinct().count() == 3
    # Generating again adds nothing: everything is planned.
    assert services.plan_generate(actor=world.users["grid"], grid=world.grid_a1, month=oct_) == 0
    item = PlanItem.objects.first()
    other = b if item.pioneer == a else a
    services.plan_assign(actor=world.users["grid"], item=item, pioneer=other)
    item.refresh_from_db()
    assert item.pioneer == other
    stranger = world.pioneer(world.grid_a2, "P-X", "别处先锋")
    with pytest.raises(ValidationError):
        services.plan_assign(actor=world.users["grid"], item=item, pioneer=stranger)
    with pytest.raises(PermissionDenied):
        services.plan_generate(actor=world.users["unit"], grid=world.grid_a1, month=oct_)


def test_plan_needs_pioneers(world, homes):
    with pytest.raises(ValidationError) as exc:
        services.plan_generate(
            actor=world.users["grid"], grid=world.grid_a1, month=date(2026, 10, 1)
        )
    assert "grid" in exc.value.message_dict


def test_a_visit_is_recorded_once_per_key_and_gps_only_with_consent(world, homes):
    ensure_categories(Category)
    household = Household.objects.get(members__resident=homes[0])
    key = uuid.uuid4()
    kwargs = {
        "actor": world.users["grid"],
        "household": household,
        "key": key,
        "met": "户主本人",
        "findings": ["ENV"],
        "note": "楼道堆放杂物",
        "lat": 31.32123,
        "lon": 120.59187,
        "gps_consent": True,
    }
    first = services.visit_record(**kwargs)
    again = services.visit_record(**kwargs)
    assert first.pk == again.pk and Visit.objects.count() == 1
    assert (first.lat, first.lon) == (31.321, 120.592)
    assert AuditEvent.objects.filter(verb="visit.create").count() == 1
    no_consent = services.visit_record(
        actor=world.users["grid"], household=household, lat=31.3, lon=120.5
    )
    assert no_consent.lat is None and no_consent.lon is None
    with pytest.raises(ValidationError) as exc:
        services.visit_record(actor=world.users["grid"], household=household, findings=["NOPE"])
    assert "findings" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.visit_record(actor=world.users["unit"], household=household)
    with pytest.raises(ValidationError):  # the key of another household's visit
        services.visit_record(
            actor=world.users["grid"],
            household=Household.objects.get(members__resident=homes[3]),
            key=key,
        )


def test_a_finding_becomes_a_case_in_one_step(world, homes):
    ensure_categories(Category)
    household = Household.objects.get(members__resident=homes[0])
    visit = services.visit_record(
        actor=world.users["grid"],
        household=household,
        findings=["ENV"],
        note="楼道堆放杂物,影响通行",
    )
    category = Category.objects.get(code="ENV")
    case = services.visit_raise_case(actor=world.users["grid"], visit=visit, category=category)
    visit.refresh_from_db()
    assert visit.case == case
    assert case.channel == "pioneer_visit" and case.category == category
    assert case.region.parent == world.a1  # placed in the visit's grid's community
    with pytest.raises(ValidationError):
        services.visit_raise_case(actor=world.users["grid"], visit=visit, category=category)
    assert Case.objects.count() == 1


def test_coverage_equals_direct_counts(world, homes):
    today = timezone.localdate()
    start, end = selectors.cycle_bounds(today, 3)
    households = list(Household.objects.filter(active=True))
    services.visit_record(actor=world.users["grid"], household=households[0], at=at(start))
    services.visit_record(actor=world.users["grid"], household=households[0], at=at(start, 11))
    services.visit_record(
        actor=world.users["grid"], household=households[1], at=at(start) - timedelta(days=1)
    )
    b_home = world.resident(world.grid_b1, "赵五", address="观景新村1幢1单元101室")
    services.visit_record(  # street B's: counted there, not in street A
        actor=world.users["outsider"],
        household=Household.objects.get(members__resident=b_home),
        at=at(start),
    )
    cover = selectors.coverage(user=world.users["street"], region=world.street_a, today=today)
    direct_households = Household.objects.filter(
        active=True, grid__path__startswith=world.street_a.path
    ).count()
    direct_visited = (
        Visit.objects.filter(
            grid__path__startswith=world.street_a.path,
            at__gte=at(start, 0),
            at__lt=at(end, 0),
        )
        .values("household")
        .distinct()
        .count()
    )
    assert (cover.households, cover.visited, cover.visits) == (direct_households, direct_visited, 2)
    assert cover.share == pytest.approx(direct_visited / direct_households)
    grid_row = next(g for g in cover.grids if g.region == world.grid_a1)
    assert grid_row.visited == 1
    stats = headline_counts(Region.objects.filter(pk=world.street_a.pk))["金阊街道"]
    assert stats["households"] == direct_households and stats["visits"] == 2
    assert stats["coverage"] == pytest.approx(round(direct_visited / direct_households, 4))
    assert stats["care_rounds_missed"] == 0
    assert selectors.visits_per_worker(
        user=world.users["street"], region=world.street_a, start=start, end=end
    ) == [(str(world.users["grid"]), 2)]  # the worker's name (here its post), not its login


def test_overdue_are_last_months_plan_not_visited(world, homes):
    _pioneers(world, 1)
    today = date(2026, 12, 2)
    services.plan_generate(actor=world.users["grid"], grid=world.grid_a1, month=date(2026, 10, 1))
    services.plan_generate(actor=world.users["grid"], grid=world.grid_a1, month=date(2026, 11, 1))
    planned = list(PlanItem.objects.order_by("month"))
    services.visit_record(
        actor=world.users["grid"], household=planned[0].household, at=at(date(2026, 10, 20))
    )
    with mock.patch("django.utils.timezone.now", return_value=at(today)):
        cover = selectors.coverage(user=world.users["community"], region=world.a1, today=today)
    assert cover.overdue == 1 and cover.visited == 1


# Care rounds ------------------------------------------------------------------------------


def test_care_rounds_are_narrower_than_residents(world, homes):
    li = homes[2]
    services.care_round_record(actor=world.users["grid"], resident=li, outcome="well")
    for role, n in {
        "grid": 1,
        "community": 1,
        "street": 0,
        "system_admin": 0,
        "department": 0,
        "unit": 0,
    }.items():
        user = world.users.get(role)
        if user is None:
            continue
        assert CareRound.objects.visible_to(user).count() == n, role
    with pytest.raises(PermissionDenied):
        services.care_round_record(actor=world.users["street"], resident=li, outcome="well")


def test_no_answer_raises_an_urgent_case_at_once(world, homes):
    li = homes[2]
    visit = services.care_round_record(actor=world.users["grid"], resident=li, outcome="no_answer")
    assert visit.case is not None and visit.case.urgency == "urgent"
    assert visit.case.region == world.grid_a1 and visit.case.channel == "pioneer_visit"
    assert "李三" not in visit.case.text  # the name is masked in the case
    assert Notification.objects.filter(
        user=world.users["community"], verb="care.no_answer"
    ).exists()
    counts = {c.key: c for c in selectors.work_counts(world.users["community"])}
    assert counts["fieldwork.no_answer"].count == 1 and counts["fieldwork.no_answer"].urgent
    from genxi.core.workbench import work_for

    assert work_for(world.users["community"])[0].key == "fieldwork.no_answer"  # shown first


def test_a_missed_round_warns_the_grid_then_the_community(world, homes):
    li = homes[2]
    monday = date(2026, 11, 2)
    with mock.patch("django.utils.timezone.now", return_value=at(monday)):
        services.care_round_record(actor=world.users["grid"], resident=li, outcome="well")
    due = monday + timedelta(days=7)
    grid_user, community_user = world.users["grid"], world.users["community"]

    def morning(day):
        with mock.patch("django.utils.timezone.now", return_value=at(day, 7)):
            from genxi.fieldwork.tasks import warn_missed_care_rounds

            return warn_missed_care_rounds.call()

    assert morning(due) == 0  # due today: not missed yet
    assert morning(due + timedelta(days=1)) == 1
    assert Notification.objects.filter(user=grid_user, verb="care.missed").count() == 1
    assert not Notification.objects.filter(user=community_user, verb="care.missed").exists()
    assert morning(due + timedelta(days=1)) == 0  # once
    assert morning(due + timedelta(days=2)) == 1
    assert Notification.objects.filter(user=community_user, verb="care.missed").count() == 1
    assert CareWarning.objects.count() == 2
    # A round made puts the next due a week on: no more warnings.
    with mock.patch("django.utils.timezone.now", return_value=at(due + timedelta(days=2), 9)):
        services.care_round_record(actor=grid_user, resident=li, outcome="well")
    assert morning(due + timedelta(days=3)) == 0


def test_care_rules_per_community(world, homes):
    wang = homes[3]
    resident_update(actor=world.users["community"], resident=wang, tags=["low_income"])
    assert [r.resident for r in selectors.care_due(user=world.users["grid"])] == [homes[2]]
    services.care_rule_set(
        actor=world.users["community"], community=world.a1, tag="low_income", every_days=30
    )
    assert {r.resident for r in selectors.care_due(user=world.users["grid"])} == {homes[2], wang}
    with pytest.raises(PermissionDenied):
        services.care_rule_set(
            actor=world.users["grid"], community=world.a1, tag="low_income", every_days=3
        )
    with pytest.raises(ValidationError):
        services.care_rule_set(
            actor=world.users["community"], community=world.a1, tag="x", every_days=3
        )


def test_daily_log_and_weekly_summary(world, homes):
    ensure_categories(Category)
    household = Household.objects.get(members__resident=homes[0])
    visit = services.visit_record(
        actor=world.users["grid"],
        household=household,
        findings=["ENV"],
        note="楼道堆放杂物,影响通行",
    )
    services.visit_raise_case(
        actor=world.users["grid"], visit=visit, category=Category.objects.get(code="ENV")
    )
    log = selectors.daily_log(user=world.users["grid"])
    assert [v.pk for v in log.visits] == [visit.pk] and len(log.cases) == 1
    today = timezone.localdate()
    summary = selectors.weekly_summary(
        user=world.users["community"],
        community=world.a1,
        start=today - timedelta(days=today.weekday()),
    )
    assert summary.visits == 1 and summary.cases == 1
    text = " ".join(summary.paragraphs())
    assert "共走访 1 次" in text and "转为诉求 1 件" in text
