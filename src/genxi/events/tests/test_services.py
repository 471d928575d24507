"""The weekend community's writes: who may, the waiting list, check-in, the summary, and
what the audit log and the outbox keep."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from genxi.core.models import AuditEvent, Notification
from genxi.core.roles import Role
from genxi.core.stats import headline_counts
from genxi.core.testing.race import needs_postgres, race
from genxi.core.testing.world import make_user
from genxi.events import selectors, services
from genxi.events.models import (
    Event,
    EventStatus,
    Material,
    PlanStatus,
    Registration,
    RegistrationStatus,
    RosterEntry,
    TextMessage,
)
from genxi.regions.models import Region

from .helpers import event, phone, register


def test_registrations_fill_the_places_then_the_waiting_list(world):
    ev = event(world, capacity=2)
    regs = [register(ev, n) for n in range(4)]
    assert [r.status for r in regs] == ["registered", "registered", "waitlisted", "waitlisted"]
    assert [services.waitlist_position(r) for r in regs] == [None, None, 1, 2]
    reg = Registration.objects.get(pk=regs[0].pk)
    assert reg.name == "居民0" and reg.masked("phone") == "139****0000"
    audit = AuditEvent.objects.filter(verb="registration.create").latest("id")
    assert "13900000003" not in str(audit.after) and audit.actor is None


def test_a_cancellation_moves_exactly_the_next_one_up_and_tells_them(world):
    ev = event(world, capacity=2, organiser=world.users["community"])
    regs = [register(ev, n) for n in range(4)]
    services.registration_cancel(actor=None, registration=regs[1], code=regs[1].code.lower())
    statuses = dict(Registration.objects.filter(event=ev).values_list("seq", "status"))
    assert statuses == {1: "registered", 2: "cancelled", 3: "registered", 4: "waitlisted"}
    msg = TextMessage.objects.get()
    assert msg.registration_id == regs[2].pk and msg.phone == phone(2)
    assert regs[2].code in msg.text
    assert Notification.objects.filter(user=world.users["community"], verb="event.promote").exists()
    # A waiting person's cancellation moves nobody.
    services.registration_cancel(actor=None, registration=regs[3], code=regs[3].code)
    assert TextMessage.objects.count() == 1


def test_the_staff_say_why_they_cancel_a_place_and_the_resident_is_told(world):
    ev = event(world, capacity=1, organiser=world.users["community"])
    regs = [register(ev, n) for n in range(2)]
    staff = world.users["community"]
    for reason in ("", "  ", "\x00\x07"):
        with pytest.raises(ValidationError) as exc:
            services.registration_cancel(actor=staff, registration=regs[0], reason=reason)
        assert set(exc.value.message_dict) == {"reason"}
    with pytest.raises(ValidationError) as exc:
        services.registration_cancel(actor=staff, registration=regs[0], reason="长" * 201)
    assert set(exc.value.message_dict) == {"reason"}
    assert Registration.objects.get(pk=regs[0].pk).status == "registered"  # nothing written
    assert not TextMessage.objects.exists()

    with pytest.raises(ValidationError) as exc:  # fits its column, not the text message
        services.registration_cancel(actor=staff, registration=regs[0], reason="长" * 190)
    assert set(exc.value.message_dict) == {"reason"} and "短信" in str(exc.value)
    assert not TextMessage.objects.exists()
    services.registration_cancel(actor=staff, registration=regs[0], reason=" 重复\n报名\x07 ")
    reg = Registration.objects.get(pk=regs[0].pk)
    assert (reg.status, reg.cancel_reason) == ("cancelled", "重复 报名")  # one line
    told = TextMessage.objects.get(registration=reg)
    assert ev.title in told.text and told.text.endswith("重复 报名")
    audit = AuditEvent.objects.filter(verb="registration.cancel").latest("id")
    assert (audit.actor, audit.reason) == (staff, "重复 报名")
    # The next one on the waiting list moved up, and was told too.
    assert Registration.objects.get(pk=regs[1].pk).status == "registered"
    assert TextMessage.objects.filter(registration=regs[1]).exists()
    # The resident's own cancellation needs no reason and keeps none.
    services.registration_cancel(actor=None, registration=regs[1], code=regs[1].code)
    assert Registration.objects.get(pk=regs[1].pk).cancel_reason == ""


def test_a_wrong_code_cancels_nothing(world):
    ev = event(world)
    reg = register(ev, 1)
    with pytest.raises(ValidationError) as exc:
        services.registration_cancel(actor=None, registration=reg, code="XXXX")
    assert set(exc.value.message_dict) == {"code"}
    assert Registration.objects.get(pk=reg.pk).status == "registered"


def test_one_phone_registers_once_and_bad_input_names_the_field(world):
    ev = event(world)
    register(ev, 1)
    with pytest.raises(ValidationError) as exc:
        register(ev, 1)
    assert set(exc.value.message_dict) == {"phone"}
    with pytest.raises(ValidationError) as exc:
        services.register(actor=None, event=ev, name=" ", phone="123")
    assert set(exc.value.message_dict) == {"name", "phone"}
    assert Registration.objects.filter(event=ev).count() == 1


def test_staff_register_for_a_resident_others_may_not(world):
    ev = event(world)
    reg = register(ev, 1, actor=world.users["community"])
    assert reg.registered_by == world.users["community"]
    for who in ("grid", "outsider", "unit"):
        with pytest.raises(PermissionDenied):
            register(ev, 2, actor=world.users[who])


def test_raising_the_capacity_moves_the_waiting_up_lowering_below_taken_is_refused(world):
    ev = event(world, capacity=1)
    regs = [register(ev, n) for n in range(3)]
    with pytest.raises(ValidationError) as exc:
        services.event_update(actor=world.users["street"], event=ev, capacity=0)
    assert "capacity" in exc.value.message_dict
    services.event_update(actor=world.users["street"], event=ev, capacity=2)
    assert Registration.objects.get(pk=regs[1].pk).status == "registered"
    assert Registration.objects.get(pk=regs[2].pk).status == "waitlisted"


def test_check_in_by_code_once_and_no_shows_count(world):
    ev = event(world, capacity=2)
    regs = [register(ev, n) for n in range(3)]
    organiser = world.users["community"]
    services.check_in(actor=organiser, event=ev, code=f" {regs[0].code.lower()} ")
    for code, field in ((regs[0].code, "code"), (regs[2].code, "code"), ("NOPE", "code")):
        with pytest.raises(ValidationError) as exc:
            services.check_in(actor=organiser, event=ev, code=code)
        assert set(exc.value.message_dict) == {field}
    with pytest.raises(PermissionDenied):
        services.check_in(actor=world.users["grid"], event=ev, code=regs[1].code)
    row = selectors.event_detail(user=organiser, pk=ev.pk)
    assert (row.registered, row.waitlisted, row.checked_in) == (2, 1, 1)


def test_the_summary_counts_check_ins_and_feeds_the_statistics(world):
    start = timezone.now() - timedelta(hours=3)
    ev = event(world, capacity=5, starts_at=start, ends_at=start + timedelta(hours=4))
    regs = [register(ev, n) for n in range(3)]
    services.check_in(actor=world.users["community"], event=ev, code=regs[0].code)
    services.material_set(
        actor=world.users["community"], event=ev, name="围巾", unit="条", quantity=40
    )
    services.material_set(
        actor=world.users["community"], event=ev, name="手套", unit="副", quantity=0
    )
    assert list(Material.objects.values_list("name", "quantity")) == [("围巾", 40)]
    assert [e.pk for e in selectors.needing_summary(world.users["community"])] == []  # not over
    Registration.objects.filter(event=ev).update()  # nothing changes the count below
    ev = services.event_summarise(
        actor=world.users["community"], event=ev, summary="顺利", served=30
    )
    assert (ev.status, ev.attendance, ev.served) == (EventStatus.DONE, 1, 30)
    counts = headline_counts(Region.objects.filter(pk=world.street_a.pk))
    street = counts[world.street_a.name]
    assert street["events"] == 1 and street["registrations"] == 3


def test_an_event_over_without_summary_is_on_the_workbench(world):
    start = timezone.now() - timedelta(hours=3)
    ev = event(world, starts_at=start, ends_at=start + timedelta(hours=1))
    counts = {c.key: c.count for c in selectors.work_counts(world.users["community"])}
    assert counts["events.summary"] == 1
    assert selectors.work_counts(world.users["grid"]) == []
    assert list(selectors.needing_summary(world.users["outsider"])) == []
    assert ev.pk


def test_a_month_plan_is_drafted_then_published_with_its_draft_events(world):
    month = (timezone.localdate() + timedelta(days=40)).replace(day=1)
    plan = services.plan_save(
        actor=world.users["community"],
        community=world.a1,
        month=month,
        title="十二月周末社区",
        themes={month: "敬老周", month + timedelta(days=8): "安全周"},
    )
    assert plan.status == PlanStatus.DRAFT and plan.themes.count() == 2
    starts = timezone.make_aware(
        timezone.datetime.combine(month + timedelta(days=5), timezone.datetime.min.time())
    )
    ev = event(world, starts_at=starts, ends_at=starts + timedelta(hours=2), draft=True)
    with pytest.raises(ValidationError):
        register(ev, 1)  # a draft takes no registrations
    with pytest.raises(PermissionDenied):
        services.plan_publish(actor=world.users["grid"], plan=plan)
    services.plan_publish(actor=world.users["community"], plan=plan)
    ev.refresh_from_db()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED and ev.status == EventStatus.PUBLISHED
    with pytest.raises(ValidationError):
        services.plan_publish(actor=world.users["community"], plan=plan)
    with pytest.raises(ValidationError) as exc:
        services.plan_save(
            actor=world.users["community"],
            community=world.a1,
            month=month,
            title="x",
            themes={date(2001, 1, 1): "错月"},
        )
    assert set(exc.value.message_dict) == {"themes"}


def test_pioneers_sign_up_for_roles_on_their_own_community(world):
    ev = event(world)
    user = make_user("pioneer1", Role.GRID_WORKER, region=world.grid_a1)
    world.pioneer(world.grid_a1, "P-E1", "先锋甲", user=user)
    entry = services.roster_join(actor=user, event=ev, role="guide")
    assert entry.pioneer.name == "先锋甲"
    with pytest.raises(ValidationError):
        services.roster_join(actor=user, event=ev, role="guide")
    with pytest.raises(PermissionDenied):
        services.roster_join(actor=world.users["street"], event=ev, role="guide")
    other = event(world, community=world.b1)
    with pytest.raises(ValidationError):
        services.roster_join(actor=user, event=other, role="guide")
    services.roster_leave(actor=user, entry=entry)
    assert not ev.roster.exists()


def test_cancelling_an_event_texts_everyone_registered_or_waiting(world):
    ev = event(world, capacity=1)
    [register(ev, n) for n in range(2)]
    with pytest.raises(ValidationError) as exc:  # too long: refused on the field, nothing done
        services.event_cancel(actor=world.users["community"], event=ev, reason="雨" * 201)
    assert set(exc.value.message_dict) == {"reason"}
    assert Event.objects.get(pk=ev.pk).status == EventStatus.PUBLISHED
    services.event_cancel(actor=world.users["community"], event=ev, reason=" 暴雨\x07 ")
    assert TextMessage.objects.count() == 2
    assert all("暴雨" in m.text for m in TextMessage.objects.all())
    assert AuditEvent.objects.filter(verb="event.cancel").latest("id").reason == "暴雨"
    assert Event.objects.get(pk=ev.pk).cancel_reason == "暴雨"
    # Without a reason the text says only that it is cancelled.
    quiet = event(world, capacity=1)
    register(quiet, 5)
    services.event_cancel(actor=world.users["community"], event=quiet)
    told = TextMessage.objects.get(registration__event=quiet)
    assert told.text.endswith("已取消。") and Event.objects.get(pk=quiet.pk).cancel_reason == ""


def test_a_cancelled_event_takes_no_material_and_no_photo(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from genxi.core.testing.images import jpeg_with_gps
    from genxi.events.models import EventPhoto

    photo = SimpleUploadedFile("p.jpg", jpeg_with_gps().getvalue(), content_type="image/jpeg")
    ev = event(world)
    staff = world.users["community"]
    services.material_set(actor=staff, event=ev, name="围巾", unit="条", quantity=5)
    services.event_cancel(actor=staff, event=ev, reason="暴雨")
    with pytest.raises(ValidationError) as exc:
        services.material_set(actor=staff, event=ev, name="围巾", unit="条", quantity=9)
    assert set(exc.value.message_dict) == {"name"}
    with pytest.raises(ValidationError) as exc:
        services.photo_add(actor=staff, event=ev, photos=[photo])
    assert set(exc.value.message_dict) == {"photos"}
    assert list(Material.objects.values_list("quantity", flat=True)) == [5]
    assert not EventPhoto.objects.exists()
    assert not AuditEvent.objects.filter(verb__in=["event.photo"]).exists()
    assert AuditEvent.objects.filter(verb="event.material").count() == 1


def test_the_roster_of_a_finished_or_cancelled_event_no_longer_changes(world):
    """A finished event's roster is what its volunteer hours are proposed from; taking a
    pioneer off it afterwards would quietly take their hours away."""
    staff = world.users["community"]
    user = make_user("pioneer2", Role.GRID_WORKER, region=world.grid_a1)
    pioneer = world.pioneer(world.grid_a1, "P-E2", "先锋乙", user=user)
    start = timezone.now() - timedelta(hours=3)
    done = event(world, starts_at=start, ends_at=start + timedelta(hours=2))
    kept = services.roster_join(actor=staff, event=done, role="guide", pioneer=pioneer)
    services.event_summarise(actor=staff, event=done, summary="顺利", served=3)
    cancelled = event(world)
    dropped = services.roster_join(actor=user, event=cancelled, role="guide")
    services.event_cancel(actor=staff, event=cancelled, reason="暴雨")
    for who, entry in ((staff, kept), (user, kept), (user, dropped)):
        with pytest.raises(ValidationError) as exc:
            services.roster_leave(actor=who, entry=entry)
        assert set(exc.value.message_dict) == {"entry"}
    assert RosterEntry.objects.count() == 2
    assert not AuditEvent.objects.filter(verb="roster.leave").exists()


def test_events_are_seen_in_their_community_and_above(world):
    ev = event(world)
    from genxi.events.models import Event

    for who, sees in (
        ("street", True),
        ("community", True),
        ("grid", True),
        ("system_admin", True),
        ("outsider", False),
        ("unit", False),
        ("norole", False),
    ):
        assert Event.objects.visible_to(world.users[who]).filter(pk=ev.pk).exists() is sees, who


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_registrations_at_once_never_exceed_the_capacity(world):
    """20 residents register for 5 places at the same moment: 5 places, 15 waiting in the
    order of their sequence numbers; then cancellations move exactly the next one up."""
    needs_postgres()
    ev = event(world, capacity=5)
    outcome = race([lambda n=n: register(ev, n) for n in range(20)])
    assert not outcome.errors and not outcome.refused, outcome.errors
    rows = list(Registration.objects.filter(event=ev).order_by("seq"))
    assert [r.seq for r in rows] == list(range(1, 21))
    assert [r.status for r in rows] == ["registered"] * 5 + ["waitlisted"] * 15
    # Three cancel at once: the first three waiting move up, in order.
    outcome = race(
        [
            lambda r=r: services.registration_cancel(actor=None, registration=r, code=r.code)
            for r in rows[:3]
        ]
    )
    assert not outcome.errors and not outcome.refused
    rows = list(Registration.objects.filter(event=ev).order_by("seq"))
    assert [r.status for r in rows[5:10]] == ["registered"] * 3 + ["waitlisted"] * 2
    assert Registration.objects.filter(event=ev, status=RegistrationStatus.REGISTERED).count() == 5
    assert TextMessage.objects.count() == 3


def test_the_text_to_the_one_moved_up_leaves_through_core_sms(
    world, django_capture_on_commit_callbacks
):
    """Decision 0029: the registrant's text is queued in core's outbox and, once sent, its
    row here is marked sent."""
    from genxi.core.models import OutboundText
    from genxi.core.sms.senders import FakeSender

    FakeSender.reset()
    ev = event(world, capacity=1)
    regs = [register(ev, n) for n in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(actor=None, registration=regs[0], code=regs[0].code)
    msg = TextMessage.objects.get()
    out = OutboundText.objects.get(purpose="event.text")
    assert out.subject == msg and out.status == "sent" and msg.sent_at == out.sent_at
    assert [(s.phone, s.text) for s in FakeSender.sent] == [(phone(1), msg.text)]
    FakeSender.reset()


def test_a_place_is_not_given_back_once_the_event_is_over(world):
    ev = event(world, organiser=world.users["community"])
    reg = register(ev, 1)
    Event.objects.filter(pk=ev.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    for actor, kw in ((world.users["community"], {"reason": "未到"}), (None, {"code": reg.code})):
        with pytest.raises(ValidationError) as exc:
            services.registration_cancel(actor=actor, registration=reg, **kw)
        assert set(exc.value.message_dict) == {"code"}
    assert Registration.objects.get(pk=reg.pk).status == "registered"
    assert not TextMessage.objects.exists()


def test_a_cancellation_reason_with_a_phone_number_is_masked_in_the_audit_log(world):
    ev = event(world, organiser=world.users["community"])
    reg = register(ev, 1)
    services.registration_cancel(
        actor=world.users["community"], registration=reg, reason="居民13912345678来电取消"
    )
    audit = AuditEvent.objects.filter(verb="registration.cancel").latest("id")
    assert "13912345678" not in audit.reason and "来电取消" in audit.reason
