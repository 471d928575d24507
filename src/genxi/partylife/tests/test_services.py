"""Party members' life: one person across roles, plans, attendance, study hours, the
reflections' moderation, practice links both ways, contact days, the roll-ups."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from genxi.cases.models import Case
from genxi.core.models import AuditEvent
from genxi.core.related import links_for
from genxi.core.stats import headline_counts
from genxi.orgs.models import PartyMember
from genxi.partylife import selectors, services
from genxi.partylife.models import PracticeLink, StudyReflection
from genxi.regions.models import Region

from .helpers import at, members, plan_with_session, tree


def test_a_member_who_is_a_pioneer_and_a_resident_is_one_person(world, client):
    t = tree(world)
    pioneer = world.pioneer(world.grid_a1, "P-PARTY-1", name="王红梅", phone="13912345678")
    resident = world.resident(world.grid_a1, name="王红梅", phone="13912345678")
    street = world.users["street"]
    member = services.member_create(
        actor=street,
        org=t["branch"],
        name="",
        position="支部书记",
        pioneer=pioneer,
        resident=resident,
    )
    assert member.name == "王红梅" and member.masked("phone") == "139****5678"
    assert member.id_number == resident.id_number and member.id_number_digest
    # The same pioneer or resident cannot be a second member of the branch.
    with pytest.raises(ValidationError) as exc:
        services.member_create(actor=street, org=t["branch"], name="王红梅", pioneer=pioneer)
    assert "pioneer" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.member_create(actor=street, org=t["branch"], name="王红梅", resident=resident)
    assert "resident" in exc.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():  # the database says so too
        PartyMember.objects.create(org=t["branch"], name="王红梅", resident=resident)
    assert PartyMember.objects.filter(resident=resident).count() == 1
    # The member page, the pioneer page and the resident page name the same person.
    client.force_login(street)
    org_page = client.get(reverse("partylife:org", args=[t["branch"].pk])).content.decode()
    assert org_page.count('<tr class="member"') == 1 and "王红梅" in org_page
    assert pioneer.get_absolute_url() in org_page and resident.get_absolute_url() in org_page
    assert "13912345678" not in org_page and "139****5678" in org_page
    member_url = reverse("partylife:org", args=[t["branch"].pk])
    for page in (pioneer.get_absolute_url(), resident.get_absolute_url()):
        body = client.get(page).content.decode()
        assert member_url in body and "一村第1网格党支部" in body
    assert [link.url for link in links_for(street, pioneer)] == [member_url]
    assert [link.url for link in links_for(street, resident)] == [member_url]


def test_linking_the_same_person_twice_in_an_org_is_refused(world):
    t = tree(world)
    resident = world.resident(world.grid_a1, name="李建国")
    a, b = members(world, t["branch"], 2)
    services.member_link(actor=world.users["community"], member=a, resident=resident)
    with pytest.raises(ValidationError) as exc:
        services.member_link(actor=world.users["community"], member=b, resident=resident)
    assert "resident" in exc.value.message_dict
    assert AuditEvent.objects.filter(verb="party_member.link").count() == 1


def test_only_the_place_staff_plan(world):
    t = tree(world)
    for role in ("grid", "outsider", "unit", "system_admin"):
        with pytest.raises(PermissionDenied):
            services.plan_create(actor=world.users[role], org=t["a1"], year=2026, title="冬训")
    plan = services.plan_create(
        actor=world.users["community"], org=t["a1"], year=2026, title="冬训"
    )
    with pytest.raises(ValidationError) as exc:
        services.plan_create(actor=world.users["community"], org=t["a1"], year=2026, title="又一个")
    assert "year" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.session_create(
            actor=world.users["community"],
            plan=plan,
            topic="",
            kind="nap",
            starts_at=at(),
            minutes=0,
        )
    assert set(exc.value.message_dict) == {"topic", "kind", "minutes"}


def test_attendance_marks_every_member_and_counts_study_hours(world):
    t = tree(world)
    ms = members(world, t["branch"], 3)
    _plan, session = plan_with_session(world, t["branch"], minutes=90)
    staff = world.users["community"]
    with pytest.raises(ValidationError) as exc:  # one member left unmarked
        services.attendance_record(actor=staff, session=session, marks={ms[0].pk: "present"})
    assert "marks" in exc.value.message_dict
    outsider = members(world, t["a2"], 1)[0]
    with pytest.raises(ValidationError):
        services.attendance_record(
            actor=staff,
            session=session,
            marks={**{m.pk: "present" for m in ms}, outsider.pk: "present"},
        )
    session.refresh_from_db()
    assert session.held_at is None
    services.attendance_record(
        actor=staff,
        session=session,
        marks={ms[0].pk: "present", ms[1].pk: "absent", ms[2].pk: "leave"},
    )
    services.study_entry_create(
        actor=staff, member=ms[1], day=timezone.localdate(), minutes=30, note="自学党章"
    )
    with pytest.raises(ValidationError) as exc:
        services.study_entry_create(
            actor=staff,
            member=ms[1],
            day=timezone.localdate() + timedelta(days=1),
            minutes=30,
            note="x",
        )
    assert "day" in exc.value.message_dict
    assert selectors.member_hours(org=t["branch"]) == {ms[0].pk: 90, ms[1].pk: 30}
    figures = selectors.own_figures([t["branch"].pk])[t["branch"].pk]
    assert (figures.members, figures.sessions_held, figures.present, figures.recorded) == (
        3,
        1,
        1,
        3,
    )
    assert figures.study_minutes == 120 and figures.attendance_rate == 33.3
    # Correcting the attendance replaces it, and is audited with before and after.
    services.attendance_record(actor=staff, session=session, marks={m.pk: "present" for m in ms})
    assert selectors.own_figures([t["branch"].pk])[t["branch"].pk].present == 3
    last = AuditEvent.objects.filter(verb="training_session.attendance").latest("id")
    assert last.before["marks"][str(ms[1].pk)] == "absent"


def test_reflections_wait_for_moderation_as_on_the_stations_wall(world):
    t = tree(world)
    member = members(world, t["branch"], 1)[0]
    member_user = world.users["grid"]
    member.user = member_user
    member.save()
    reflection = services.reflection_create(
        actor=member_user, member=member, text="学思践悟,知行合一。"
    )
    assert reflection.status == "pending"
    assert selectors.own_figures([t["branch"].pk])[t["branch"].pk].reflections == 0
    with pytest.raises(PermissionDenied):  # a member does not approve their own
        services.reflection_moderate(actor=member_user, reflection=reflection, approve=True)
    other = members(world, t["branch"], 2)[1]
    with pytest.raises(PermissionDenied):  # nor posts for another member
        services.reflection_create(actor=member_user, member=other, text="代写")
    services.reflection_moderate(
        actor=world.users["community"], reflection=reflection, approve=True
    )
    assert StudyReflection.objects.get(pk=reflection.pk).status == "approved"
    assert selectors.own_figures([t["branch"].pk])[t["branch"].pk].reflections == 1
    with pytest.raises(ValidationError):
        services.reflection_create(actor=member_user, member=member, text="长" * 201)


def test_a_practice_class_links_to_an_event_and_the_event_page_shows_it(world, client):
    from genxi.events.tests.helpers import event

    t = tree(world)
    street = world.users["street"]
    _plan, study = plan_with_session(world, t["a1"])
    ev = event(world)
    with pytest.raises(ValidationError) as exc:  # a study session produces no work
        services.practice_link(actor=street, session=study, kind="event", pk=ev.pk)
    assert "kind" in exc.value.message_dict
    practice = services.session_create(
        actor=street,
        plan=study.plan,
        topic="冬训实践课堂:敬老助餐",
        kind="practice",
        starts_at=at(),
        minutes=120,
    )
    with pytest.raises(ValidationError) as exc:
        services.practice_link(
            actor=world.users["community"], session=practice, kind="event", pk=999999
        )
    assert "target" in exc.value.message_dict
    link = services.practice_link(actor=street, session=practice, kind="event", pk=ev.pk)
    assert link.target == ev
    with pytest.raises(ValidationError):
        services.practice_link(actor=street, session=practice, kind="event", pk=ev.pk)
    client.force_login(street)
    body = client.get(reverse("events:event", args=[ev.pk])).content.decode()
    assert "冬训实践课堂" in body and practice.get_absolute_url() in body
    session_page = client.get(practice.get_absolute_url()).content.decode()
    assert reverse("events:event", args=[ev.pk]) in session_page
    # Out of scope: street B's admin does not see the session on anything.
    assert links_for(world.users["outsider"], ev) == []
    assert PracticeLink.objects.count() == 1


def test_a_contact_day_note_can_become_a_case(world):
    t = tree(world)
    member = members(world, t["a1"], 1)[0]
    day = services.contact_day_create(
        actor=world.users["community"],
        org=t["a1"],
        community=world.a1,
        member=member,
        day=timezone.localdate(),
    )
    with pytest.raises(ValidationError) as exc:
        services.contact_day_create(
            actor=world.users["community"],
            org=t["a1"],
            community=world.b1,
            member=member,
            day=timezone.localdate(),
        )
    assert "community" in exc.value.message_dict
    note = services.contact_note_create(
        actor=world.users["community"], day=day, text="小区路灯坏了三盏"
    )
    assert note.case is None
    cases = Case.objects.count()
    note = services.contact_note_create(
        actor=world.users["community"], day=day, text="3幢楼道堆物堵塞消防通道", to_case=True
    )
    assert note.case is not None and Case.objects.count() == cases + 1
    assert note.case.region == world.a1 or note.case.region.parent == world.a1
    with pytest.raises(PermissionDenied):
        services.contact_note_create(actor=world.users["outsider"], day=day, text="不相干的人记录")


def test_stats_count_members_sessions_and_hours_per_street(world):
    t = tree(world)
    ms = members(world, t["branch"], 2)
    _plan, session = plan_with_session(world, t["branch"], minutes=90)
    services.attendance_record(
        actor=world.users["street"],
        session=session,
        marks={ms[0].pk: "present", ms[1].pk: "present"},
    )
    counts = headline_counts(Region.objects.filter(pk__in=[world.street_a.pk, world.street_b.pk]))
    a, b = counts[world.street_a.name], counts[world.street_b.name]
    assert (a["party_members"], a["training_sessions"], a["study_hours"]) == (2, 1, 3.0)
    assert (b["party_members"], b["training_sessions"], b["study_hours"]) == (0, 0, 0)


def test_rollups_add_the_descendants(world):
    t = tree(world)
    members(world, t["branch"], 2)
    members(world, t["a1"], 1)
    members(world, t["a2"], 4)
    rows = {o.pk: f for o, f, _ in selectors.rollups(world.users["street"])}
    assert rows[t["branch"].pk].members == 2
    assert rows[t["a1"].pk].members == 3
    assert rows[t["regional"].pk].members == 7
    assert rows[t["street"].pk].members == 7
    # A community worker sees their own community's tree only.
    seen = {o.pk for o, _f, _d in selectors.rollups(world.users["community"])}
    assert seen == {t["a1"].pk, t["branch"].pk}
