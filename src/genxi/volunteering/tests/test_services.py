"""Volunteer hours' writes: collection from events, duty and cases (idempotent), confirm
and reject (who may, audited), manual entries, and rules versioning."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from genxi.core import pdf
from genxi.core.models import AuditEvent
from genxi.core.stats import headline_counts
from genxi.volunteering import documents, selectors, services
from genxi.volunteering.domain.points import DEFAULT_RULES, Rules
from genxi.volunteering.models import HoursRecord, HoursStatus

from .helpers import finished_event, resolved_case, saturday, served_shift


@pytest.fixture
def pioneer(world):
    return world.pioneer(world.grid_a1, "P-V1", "李海棠", kind="new_employment")


def test_collect_proposes_one_record_per_source_and_is_idempotent(world, pioneer):
    ev = finished_event(world, pioneer, hours=3)
    shift = served_shift(pioneer)
    pioneer.user = world.users["grid"]
    pioneer.save()
    case = resolved_case(world, world.users["grid"])
    assert services.collect() == 3
    assert services.collect() == 0
    rows = {r.source: r for r in HoursRecord.objects.all()}
    assert rows["event"].event == ev and rows["event"].hours == Decimal(3)
    assert rows["duty"].shift == shift and rows["duty"].hours == Decimal(4)
    assert rows["case"].case == case and rows["case"].hours == services.CASE_HOURS
    assert {r.status for r in rows.values()} == {HoursStatus.PROPOSED}
    assert rows["case"].community == world.a1
    assert AuditEvent.objects.filter(verb="hours.collect").count() == 1  # not for nothing


def test_a_rejected_source_is_not_proposed_again(world, pioneer):
    finished_event(world, pioneer)
    services.collect()
    record = HoursRecord.objects.get()
    services.hours_reject(actor=world.users["community"], record=record, reason="未到岗")
    assert services.collect() == 0
    assert HoursRecord.objects.get().status == HoursStatus.REJECTED


def test_unfinished_sources_propose_nothing(world, pioneer):
    served_shift(pioneer, day=date.today())  # today's shift is not over
    assert services.collect() == 0


def test_confirm_gives_points_under_the_rules_in_force_and_keeps_the_version(world, pioneer):
    served_shift(pioneer, day=saturday(2026))
    served_shift(pioneer, day=date(2026, 3, 9), start=780, end=900)
    services.collect()
    first, second = HoursRecord.objects.order_by("served_on")
    first = services.hours_confirm(actor=world.users["community"], record=first)
    # 4 h duty × 10 = 40; weekend +20% = 8; new employment +20% = 8; first of year +20
    assert first.points == Decimal(76) and first.rules.version == 1
    street = world.street_a
    services.rules_save(
        actor=world.users["street"],
        street=street,
        rules=Rules(per_hour={"duty": Decimal(100)}),
        note="加倍",
    )
    second = services.hours_confirm(actor=world.users["community"], record=second)
    assert second.points == Decimal(200) and second.rules.version == 2
    first.refresh_from_db()
    assert first.points == Decimal(76) and first.rules.version == 1  # unchanged
    event = AuditEvent.objects.filter(verb="hours.confirm").latest("id")
    assert event.after["rules_version"] == 2


def test_confirm_may_correct_the_hours_and_checks_them(world, pioneer):
    served_shift(pioneer)
    services.collect()
    record = HoursRecord.objects.get()
    with pytest.raises(ValidationError):
        services.hours_confirm(actor=world.users["community"], record=record, hours=Decimal(30))
    done = services.hours_confirm(
        actor=world.users["community"], record=record, hours=Decimal("1.5")
    )
    assert done.hours == Decimal("1.5")
    with pytest.raises(ValidationError):  # only once
        services.hours_confirm(actor=world.users["community"], record=record)


@pytest.mark.parametrize("role", ["grid", "outsider", "unit", "system_admin"])
def test_only_staff_over_the_community_decide(world, pioneer, role):
    served_shift(pioneer)
    services.collect()
    record = HoursRecord.objects.get()
    with pytest.raises(PermissionDenied):
        services.hours_confirm(actor=world.users[role], record=record)
    with pytest.raises(PermissionDenied):
        services.hours_reject(actor=world.users[role], record=record, reason="不对")
    assert HoursRecord.objects.get().status == HoursStatus.PROPOSED
    assert not AuditEvent.objects.filter(verb__in=["hours.confirm", "hours.reject"]).exists()


def test_the_events_organiser_decides_its_records(world, pioneer):
    ev = finished_event(world, pioneer)
    type(ev).objects.filter(pk=ev.pk).update(organiser=world.users["grid"])
    services.collect()
    record = HoursRecord.objects.get()
    assert services.hours_confirm(actor=world.users["grid"], record=record).points


def test_reject_needs_a_reason(world, pioneer):
    served_shift(pioneer)
    services.collect()
    record = HoursRecord.objects.get()
    with pytest.raises(ValidationError) as exc:
        services.hours_reject(actor=world.users["community"], record=record, reason="  ")
    assert "reason" in exc.value.message_dict


def test_manual_entry_is_confirmed_at_once_and_audited(world, pioneer):
    record = services.hours_add(
        actor=world.users["community"],
        pioneer=pioneer,
        title="防范非法集资入户宣传",
        served_on=date(2026, 3, 9),
        hours=Decimal(2),
    )
    assert record.status == HoursStatus.CONFIRMED and record.points == Decimal(
        "39.2"
    )  # 16 + 20% + 20
    assert AuditEvent.objects.filter(verb="hours.add").count() == 1
    with pytest.raises(PermissionDenied):
        services.hours_add(
            actor=world.users["outsider"],
            pioneer=pioneer,
            title="x",
            served_on=date(2026, 3, 9),
            hours=Decimal(1),
        )


def test_rules_are_the_street_admins_and_checked(world):
    with pytest.raises(PermissionDenied):
        services.rules_save(
            actor=world.users["community"], street=world.street_a, rules=DEFAULT_RULES
        )
    with pytest.raises(ValidationError) as exc:
        services.rules_save(
            actor=world.users["street"],
            street=world.street_a,
            rules=Rules(per_hour={"event": Decimal(-1)}),
        )
    assert "per_hour_event" in exc.value.message_dict


def test_year_totals_stats_and_certificate_add_up(world, pioneer):
    for day in (date(2026, 3, 7), date(2026, 4, 11)):
        served_shift(pioneer, day=day)
    finished_event(world, pioneer, hours=2)
    services.collect()
    for r in HoursRecord.objects.all():
        services.hours_confirm(actor=world.users["community"], record=r)
    year = selectors.pioneer_year(pioneer=pioneer, year=2026)
    records = HoursRecord.objects.filter(served_on__year=2026)
    assert year.tally.hours == sum(r.hours for r in records)
    assert year.tally.points == sum(r.points for r in records)
    stats = headline_counts([world.street_a, world.street_b])
    assert stats[world.street_a.name]["volunteer_hours"] == float(
        sum(r.hours for r in HoursRecord.objects.all())
    )
    assert stats[world.street_b.name]["volunteer_hours"] == 0
    text = pdf.text(documents.certificate_pdf(year))
    assert "李海棠" in text and "志愿服务证书" in text
    assert str(year.tally.hours) in text and "驿站值守" in text


def test_leaderboard_shows_all_five_kinds(world, pioneer):
    served_shift(pioneer)
    services.collect()
    services.hours_confirm(actor=world.users["community"], record=HoursRecord.objects.get())
    today = date.today()
    board = selectors.leaderboard(
        user=world.users["street"], start=date(today.year - 1, 1, 1), end=date(today.year + 1, 1, 1)
    )
    assert len(board.kinds) == 5
    assert [k["hours"] for k in board.kinds if k["kind"] == "new_employment"] == [Decimal(4)]
    assert board.pioneers[0]["pioneer__name"] == "李海棠"
