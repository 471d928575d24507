"""The forms of party members' life: bad input comes back on its field with status 400 and
nothing is written; a service's refusal lands on the field it names."""

from django.urls import reverse

from genxi.core.models import AuditEvent
from genxi.partylife.models import Attendance, TrainingPlan, TrainingSession

from .helpers import members, plan_with_session, tree


def _errors(response) -> set[str]:
    body = response.content.decode()
    import re

    return set(re.findall(r'data-error-for="([^"]+)"', body))


def test_a_session_with_bad_fields_is_refused_on_them(world, client):
    t = tree(world)
    plan, _session = plan_with_session(world, t["a1"])
    client.force_login(world.users["community"])
    audits = AuditEvent.objects.count()
    response = client.post(
        reverse("partylife:session_new", args=[plan.pk]),
        {"topic": "", "kind": "nap", "starts_at": "明天", "minutes": "0"},
    )
    assert response.status_code == 400
    assert {"topic", "kind", "starts_at", "minutes"} <= _errors(response)
    assert TrainingSession.objects.count() == 1 and AuditEvent.objects.count() == audits


def test_a_second_plan_for_the_year_is_refused_on_the_year(world, client):
    t = tree(world)
    plan_with_session(world, t["a1"])
    client.force_login(world.users["community"])
    response = client.post(
        reverse("partylife:plan_new", args=[t["a1"].pk]), {"year": "2026", "title": "又一个计划"}
    )
    assert response.status_code == 400 and _errors(response) == {"year"}
    assert TrainingPlan.objects.count() == 1


def test_attendance_needs_a_mark_for_every_member(world, client):
    t = tree(world)
    ms = members(world, t["a1"], 2)
    _plan, session = plan_with_session(world, t["a1"])
    client.force_login(world.users["community"])
    response = client.post(
        reverse("partylife:attendance", args=[session.pk]), {f"m{ms[0].pk}": "present"}
    )
    assert response.status_code == 400 and _errors(response) == {f"m{ms[1].pk}"}
    response = client.post(
        reverse("partylife:attendance", args=[session.pk]),
        {f"m{ms[0].pk}": "present", f"m{ms[1].pk}": "asleep"},
    )
    assert response.status_code == 400 and _errors(response) == {f"m{ms[1].pk}"}
    assert not Attendance.objects.exists()


def test_a_practice_link_to_work_out_of_sight_is_refused_on_the_target(world, client):
    from genxi.events.tests.helpers import event

    t = tree(world)
    plan, _ = plan_with_session(world, t["a1"])
    practice = plan.sessions.create(
        topic="实践课堂", kind="practice", starts_at=plan.sessions.get().starts_at, minutes=60
    )
    far = event(world, community=world.b1)
    client.force_login(world.users["community"])
    response = client.post(
        reverse("partylife:practice", args=[practice.pk]), {"kind": "event", "target": far.pk}
    )
    assert response.status_code == 400 and _errors(response) == {"target"}
    response = client.post(
        reverse("partylife:practice", args=[practice.pk]), {"kind": "ship", "target": "x"}
    )
    assert response.status_code == 400 and _errors(response) == {"kind", "target"}
    assert not practice.practice_links.exists()


def test_a_contact_note_too_short_is_refused_on_the_text(world, client):
    from django.utils import timezone

    from genxi.partylife import services

    t = tree(world)
    member = members(world, t["a1"], 1)[0]
    day = services.contact_day_create(
        actor=world.users["community"],
        org=t["a1"],
        community=world.a1,
        member=member,
        day=timezone.localdate(),
    )
    client.force_login(world.users["community"])
    response = client.post(reverse("partylife:contact_note", args=[day.pk]), {"text": "灯"})
    assert response.status_code == 400 and _errors(response) == {"text"}
    assert not day.notes.exists()
