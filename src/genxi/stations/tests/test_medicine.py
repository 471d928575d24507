"""The shared medicine box: stock in, issue (never an expired batch, never more than is
left), throw away, the restock list, and the warning before expiry — on a frozen clock, the
warning fires on the first day the station's window reaches a batch, and only then."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from genxi.core.models import AuditEvent, Notification
from genxi.core.workbench import work_for
from genxi.stations import selectors, services
from genxi.stations.domain.hours import TZ
from genxi.stations.models import MedicineItem, MedicineMove

from .helpers import station, volunteer

EXPIRY = date(2031, 3, 31)


@pytest.fixture
def frozen(monkeypatch):
    """A clock that stands still at the moment the test sets."""
    clock = {"now": datetime(2031, 1, 1, 9, 0, tzinfo=TZ)}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])
    return clock


def _box(world, frozen):
    s = station(world, manager=world.users["community"])
    duty = volunteer(world, s)
    item = services.medicine_add(
        actor=duty,
        station=s,
        name="创可贴",
        unit="片",
        batch="B2031",
        expiry=EXPIRY,
        quantity=20,
        minimum=10,
    )
    return s, duty, item


def test_stock_in_issue_and_the_usage_log(world, frozen):
    s, duty, item = _box(world, frozen)
    again = services.medicine_add(
        actor=world.users["community"],
        station=s,
        name="创可贴",
        unit="片",
        batch="B2031",
        expiry=EXPIRY,
        quantity=5,
    )
    assert again.pk == item.pk and again.quantity == 25  # the same batch gains
    services.medicine_issue(actor=duty, item=item, quantity=3, note="骑手擦伤")
    item.refresh_from_db()
    assert item.quantity == 22
    assert [m.kind for m in selectors.medicine_moves(station=s)] == ["out", "in", "in"]
    with pytest.raises(ValidationError) as exc:  # more than is left
        services.medicine_issue(actor=duty, item=item, quantity=23)
    assert "quantity" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.medicine_issue(actor=world.users["grid"], item=item, quantity=1)
    with pytest.raises(ValidationError):  # expired on arrival
        services.medicine_add(
            actor=duty, station=s, name="碘伏", unit="瓶", expiry=date(2030, 12, 31), quantity=1
        )
    item.refresh_from_db()
    assert item.quantity == 22 and MedicineMove.objects.count() == 3
    assert AuditEvent.objects.filter(verb="medicine.issue").count() == 1


def test_an_expired_batch_cannot_be_issued(world, frozen):
    s, duty, item = _box(world, frozen)
    frozen["now"] = datetime(2031, 3, 31, 23, 59, tzinfo=TZ)  # its last day: still good
    services.medicine_issue(actor=duty, item=item, quantity=1)
    frozen["now"] = datetime(2031, 4, 1, 0, 1, tzinfo=TZ)  # the day after
    with pytest.raises(ValidationError) as exc:
        services.medicine_issue(actor=duty, item=item, quantity=1)
    assert "过期" in exc.value.message_dict["quantity"][0]
    item.refresh_from_db()
    assert item.quantity == 19
    assert list(selectors.issuable(station=s)) == []  # not offered
    services.medicine_discard(actor=duty, item=item, note="过期")
    item.refresh_from_db()
    assert item.quantity == 0


def test_the_expiry_warning_fires_on_the_right_day(world, frozen):
    s, duty, item = _box(world, frozen)
    # Default 30 days: the window reaches 31 March on 1 March.
    frozen["now"] = datetime(2031, 2, 28, 23, 0, tzinfo=TZ)
    assert services.warn_expiring() == 0
    assert not Notification.objects.filter(verb="medicine.expiring").exists()
    frozen["now"] = datetime(2031, 3, 1, 0, 30, tzinfo=TZ)  # Shanghai's 1 March
    assert services.warn_expiring() == 1
    notes = Notification.objects.filter(verb="medicine.expiring")
    assert {n.user for n in notes} == {duty, world.users["community"]}
    assert "创可贴" in notes[0].text and "2031-03-31" in notes[0].text
    frozen["now"] = datetime(2031, 3, 2, 9, tzinfo=TZ)
    assert services.warn_expiring() == 0  # once
    # The workbench and its list agree.
    work = {w.key: w for w in work_for(duty)}
    assert work["stations.expiring"].count == 1
    assert [r.name for r in selectors.restock_list(station=s)] == ["创可贴"]


def test_the_warning_days_are_the_stations(world, frozen):
    s, duty, item = _box(world, frozen)
    services.medicine_settings(actor=world.users["community"], station=s, warn_days=60)
    frozen["now"] = datetime(2031, 1, 29, 9, tzinfo=TZ)  # 61 days before
    assert services.warn_expiring() == 0
    frozen["now"] = datetime(2031, 1, 30, 9, tzinfo=TZ)  # 60 days before
    assert services.warn_expiring() == 1
    with pytest.raises(ValidationError):
        services.medicine_settings(actor=world.users["community"], station=s, warn_days=0)
    with pytest.raises(PermissionDenied):  # the staff set it
        services.medicine_settings(actor=duty, station=s, warn_days=10)


def test_restock_list(world, frozen):
    s, duty, item = _box(world, frozen)
    assert selectors.restock_list(station=s) == []  # 20 usable, minimum 10
    services.medicine_issue(actor=duty, item=item, quantity=11)
    [row] = selectors.restock_list(station=s)
    assert (row.name, row.usable, row.minimum) == ("创可贴", 9, 10)
    # A batch near expiry does not count as usable.
    services.medicine_add(
        actor=duty,
        station=s,
        name="退烧贴",
        unit="贴",
        expiry=date(2031, 1, 20),
        quantity=4,
    )
    names = {r.name: r for r in selectors.restock_list(station=s)}
    assert names["退烧贴"].usable == 0 and names["退烧贴"].expiring == 4
    assert MedicineItem.objects.count() == 2
    assert selectors.medicine_box(station=s)[0].expiring  # soonest first
    assert timezone.now().date() + timedelta(days=19) == date(2031, 1, 20)
