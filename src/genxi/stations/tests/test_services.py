"""The stations' writes: who may, what is refused, and what the audit log keeps."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from genxi.core.models import AuditEvent
from genxi.core.stats import headline_counts
from genxi.regions.models import Region
from genxi.stations import selectors, services
from genxi.stations.domain.hours import parse_day
from genxi.stations.models import Reflection, ReflectionStatus, StationVisit

from .helpers import station, volunteer


def last_event(verb):
    return AuditEvent.objects.filter(verb=verb).latest("id")


def test_create_records_the_station(world):
    s = station(world, manager=world.users["community"])
    assert s.hours["0"] == [[480, 1200]] and s.amenities == ["microwave", "kettle", "charging"]
    event = last_event("station.create")
    assert event.after["name"] == "彩香驿站" and event.after["community_id"] == world.a1.pk


def test_create_refuses_what_is_not_a_station(world):
    with pytest.raises(ValidationError) as exc:
        services.station_create(
            actor=world.users["community"],
            community=world.a1,
            grid=world.grid_a2,  # another community's grid
            name=" ",
            lat=31.3,
            lon=120.6,
            address="x",
            amenities=["jacuzzi"],
            manager=world.users["grid"],  # not staff
        )
    assert set(exc.value.message_dict) == {"grid", "name", "amenities", "manager"}
    with pytest.raises(PermissionDenied):  # a community worker elsewhere
        station(world, community=world.a2, grid=world.grid_a2, actor=world.users["community"])


def test_update_audits_before_and_after(world):
    s = station(world)
    services.station_update(
        actor=world.users["community"],
        station=s,
        name="彩香爱心驿站",
        weekly={0: parse_day("09:00-17:00")},
        amenities=["toilet", "microwave"],
    )
    s.refresh_from_db()
    assert s.amenities == ["microwave", "toilet"] and s.hours == {"0": [[540, 1020]]}
    event = last_event("station.update")
    assert event.before["name"] == "彩香驿站" and event.after["name"] == "彩香爱心驿站"
    assert "address" not in event.after  # only what changed
    with pytest.raises(PermissionDenied):
        services.station_update(actor=world.users["grid"], station=s, name="x")


def test_who_may_log_a_visit(world):
    s = station(world, manager=world.users["community"])
    duty = volunteer(world, s)
    for actor in (world.users["community"], world.users["street"], duty):
        services.visit_log(actor=actor, station=s, kind="rider")
    assert StationVisit.objects.filter(station=s).count() == 3
    assert last_event("station.visit").after == {"kind": "rider"}
    other = volunteer(world, station(world, name="另一个驿站"), username="elsewhere")
    for outsider in (world.users["grid"], world.users["system_admin"], other):
        with pytest.raises(PermissionDenied):
            services.visit_log(actor=outsider, station=s, kind="rider")
    with pytest.raises(ValidationError):
        services.visit_log(actor=duty, station=s, kind="astronaut")
    # A duty volunteer sees the station (through the link) and may tend it.
    assert selectors.tended_stations(duty).get() == s


def test_reflections_wait_for_approval(world):
    s = station(world)
    duty = volunteer(world, s)
    r = services.reflection_create(station=s, text="  热水很暖和  ", signature="一位骑手")
    assert r.text == "热水很暖和" and r.status == ReflectionStatus.PENDING
    assert selectors.public_reflections(station=s) == []
    assert list(selectors.pending_reflections(user=duty)) == [r]
    services.reflection_moderate(actor=duty, reflection=r, approve=True)
    assert selectors.public_reflections(station=s) == [r]
    event = last_event("reflection.approve")
    assert event.before == {"status": "pending"} and event.after == {"status": "approved"}
    services.reflection_moderate(actor=world.users["community"], reflection=r, approve=False)
    assert selectors.public_reflections(station=s) == []
    with pytest.raises(PermissionDenied):
        services.reflection_moderate(actor=world.users["grid"], reflection=r, approve=True)
    with pytest.raises(ValidationError):
        services.reflection_create(station=s, text="长" * 201)
    with pytest.raises(ValidationError):
        services.reflection_create(station=s, text="   ")
    assert Reflection.objects.count() == 1


def test_a_dated_exception_closes_the_day(world):
    s = station(world)
    services.exception_set(
        actor=world.users["community"], station=s, day=date(2027, 2, 6), intervals=(), note="春节"
    )
    services.exception_set(
        actor=world.users["community"],
        station=s,
        day=date(2027, 2, 6),
        intervals=parse_day("10:00-12:00"),
    )
    assert s.exceptions.get().intervals == [[600, 720]]
    event = last_event("station.exception")
    assert event.before["intervals"] == [] and event.after["intervals"] == [[600, 720]]


def test_volunteers_come_from_the_community(world):
    s = station(world)
    stranger = world.pioneer(world.grid_a2, "P-A2", "外社区先锋")
    with pytest.raises(ValidationError):
        services.volunteer_add(actor=world.users["community"], station=s, pioneer=stranger)
    link = services.volunteer_add(
        actor=world.users["community"], station=s, pioneer=world.pioneer(world.grid_a1, "P-A1")
    )
    with pytest.raises(ValidationError):  # twice
        services.volunteer_add(actor=world.users["community"], station=s, pioneer=link.pioneer)
    services.volunteer_remove(actor=world.users["community"], volunteer=link)
    assert not s.volunteers.exists()
    assert last_event("station.volunteer_remove").before == {"pioneer": link.pioneer_id}


def test_headline_counts_per_street(world):
    s = station(world)
    station(world, name="观景驿站", community=world.b1, grid=world.grid_b1)
    services.visit_log(actor=world.users["community"], station=s, kind="courier")
    services.visit_log(actor=world.users["community"], station=s, kind="rider")
    counts = headline_counts(Region.objects.streets())
    assert counts["金阊街道"]["stations"] == 1 and counts["金阊街道"]["station_visits"] == 2
    assert counts["虎丘街道"]["stations"] == 1 and counts["虎丘街道"]["station_visits"] == 0
