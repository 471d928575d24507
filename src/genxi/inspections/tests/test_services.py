"""Inspections' writes: versions, targets with personal data, rounds told in the inbox,
answers exactly once, the signature, notices numbered without gaps, re-inspection and
escalation at the deadline (a frozen clock), repeat offenders."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from genxi.cases.models import Case, Channel
from genxi.core.models import AuditEvent, Notification
from genxi.core.testing.images import jpeg_with_gps
from genxi.inspections import services
from genxi.inspections.models import (
    Answer,
    AnswerPhoto,
    Inspection,
    InspectionState,
    MemberRole,
    Notice,
    NoticeState,
    Result,
    Round,
    RoundState,
    Target,
)
from genxi.inspections.services import ItemSpec

from .helpers import answer_all, officer, round_, signature, target, templates


def test_default_templates_are_made_once_with_a_first_version(world):
    made = templates()
    assert set(made) == {"school-canteen-food", "shop-fire-safety", "residential-environment"}
    canteen = made["school-canteen-food"].current()
    assert canteen.number == 1 and canteen.items.count() == 8
    services.ensure_default_templates()
    assert made["school-canteen-food"].versions.count() == 1


def test_revising_a_template_makes_a_version_and_an_inspection_keeps_its_own(world):
    canteen = target(world)
    r = round_(world, [canteen])
    template = templates()["school-canteen-food"]
    v2 = services.template_revise(
        actor=world.users["street"],
        template=template,
        items=[ItemSpec("晨检记录完整", severity="major", remedy="补做晨检记录")],
        note="增加晨检",
    )
    assert v2.number == 2 and template.current() == v2
    inspection = r.inspections.get()
    assert inspection.round.version.number == 1
    assert len(services.items_of(inspection)) == 8
    assert AuditEvent.objects.filter(verb="inspection_template.revise").exists()
    with pytest.raises(PermissionDenied):
        services.template_revise(
            actor=world.users["grid"], template=template, items=[ItemSpec("x")]
        )
    with pytest.raises(ValidationError):
        services.template_revise(actor=world.users["street"], template=template, items=[])


def test_a_targets_responsible_person_is_encrypted_and_masked(world):
    t = target(world)
    with connection.cursor() as cursor:
        cursor.execute("SELECT responsible_phone FROM inspections_target WHERE id = %s", [t.pk])
        raw = cursor.fetchone()[0]
    assert "13912345678" not in raw and Target.objects.get(pk=t.pk).responsible_phone
    assert t.masked("responsible_phone") != "13912345678"
    assert t.masked("responsible_name") == "王**"
    event = AuditEvent.objects.get(verb="inspection_target.create")
    assert "13912345678" not in str(event.after)
    with pytest.raises(ValidationError) as exc:
        target(world, responsible_phone="12345", grid=world.grid_a2)
    assert set(exc.value.message_dict) == {"responsible_phone", "grid"}
    with pytest.raises(PermissionDenied):
        target(world, actor=world.users["outsider"])


def test_a_round_tells_its_team_and_makes_one_inspection_per_target(world):
    scjg = officer(world)
    a, b = target(world), target(world, "彩香实验小学食堂")
    r = round_(
        world,
        [a, b],
        team=[(scjg, MemberRole.DEPARTMENT), (world.users["community"], MemberRole.COMMUNITY)],
    )
    assert r.inspections.count() == 2
    assert Notification.objects.filter(verb="inspection_round", user=scjg).count() == 1
    assert Notification.objects.filter(user=world.users["community"]).exists()
    with pytest.raises(PermissionDenied):
        round_(world, [a], actor=world.users["community"])
    with pytest.raises(ValidationError) as exc:
        round_(world, [target(world, "观景小学食堂", community=world.b1)])
    assert "targets" in exc.value.message_dict


def test_an_answer_sent_twice_with_one_key_is_kept_once(world):
    r = round_(world, [target(world)])
    inspection = r.inspections.get()
    item = services.items_of(inspection)[2]  # shelf life: a photo on fail
    key = uuid.uuid4()
    call = {
        "actor": world.users["community"],
        "inspection": inspection,
        "item": item,
        "key": key,
        "result": Result.FAIL,
        "note": "两包面粉过期",
        "photos": [jpeg_with_gps()],
    }
    first = services.answer_submit(**call)
    again = services.answer_submit(**{**call, "photos": [jpeg_with_gps()]})
    assert first.pk == again.pk
    assert AnswerPhoto.objects.count() == 1
    assert AuditEvent.objects.filter(verb="inspection.answer").count() == 1


def test_an_answer_refuses_what_is_missing(world):
    r = round_(world, [target(world)])
    inspection = r.inspections.get()
    items = services.items_of(inspection)
    base = {"actor": world.users["community"], "inspection": inspection}
    with pytest.raises(ValidationError) as exc:
        services.answer_submit(**base, item=items[0], key=uuid.uuid4(), result="maybe")
    assert "result" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # a failure here needs its photo
        services.answer_submit(**base, item=items[0], key=uuid.uuid4(), result=Result.FAIL)
    assert "photos" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.answer_submit(
            actor=world.users["outsider"],
            inspection=inspection,
            item=items[0],
            key=uuid.uuid4(),
            result=Result.PASS,
        )
    assert not Answer.objects.exists()


def _finish(world, inspection, actor=None, **kw):
    return services.inspection_finish(
        actor=actor or world.users["community"],
        inspection=inspection,
        ack_name="王建国",
        signature=signature(),
        **kw,
    )


def test_finishing_with_failures_issues_a_numbered_notice_and_a_reinspection(world):
    r = round_(world, [target(world), target(world, "彩香实验小学食堂")])
    first, second = r.inspections.order_by("target__name")
    worker = world.users["community"]
    answer_all(first, worker, fail={2, 5, 7}, fixed={7}, photo=jpeg_with_gps)
    with pytest.raises(ValidationError) as exc:
        _finish(world, second)  # nothing answered yet
    assert "ack_name" in exc.value.message_dict
    done = _finish(world, first)
    assert done.state == InspectionState.DONE and done.ack_signature.name.endswith(".png")
    notice = Notice.objects.get()
    year = timezone.localdate().year
    assert notice.number == f"金阊街道整改〔{year}〕1号" and notice.state == NoticeState.OPEN
    assert [ni.item.position for ni in notice.items.all()] == [2, 5]
    assert notice.items.first().legal_basis.startswith("《中华人民共和国食品安全法》")
    reinspection = Inspection.objects.get(reinspects=notice)
    assert reinspection.state == InspectionState.PENDING
    assert len(services.items_of(reinspection)) == 2
    answer_all(second, worker, fail={1}, photo=jpeg_with_gps)
    _finish(world, second)
    assert sorted(Notice.objects.values_list("seq", flat=True)) == [1, 2]
    with pytest.raises(ValidationError):
        _finish(world, first)  # signed once


def test_a_passing_reinspection_closes_the_notice(world):
    r = round_(world, [target(world)])
    worker = world.users["community"]
    answer_all(r.inspections.get(), worker, fail={5})
    _finish(world, r.inspections.get())
    notice = Notice.objects.get()
    reinspection = Inspection.objects.get(reinspects=notice)
    answer_all(reinspection, worker)
    _finish(world, reinspection)
    notice.refresh_from_db()
    assert notice.state == NoticeState.CLOSED and notice.closed_at is not None


def test_an_unfixed_notice_is_escalated_exactly_at_its_deadline(world, monkeypatch):
    scjg = officer(world)
    r = round_(world, [target(world)], team=[(scjg, MemberRole.DEPARTMENT)])
    answer_all(r.inspections.get(), world.users["community"], fail={5})
    _finish(world, r.inspections.get())
    notice = Notice.objects.get()
    monkeypatch.setattr(timezone, "now", lambda: notice.due_at - timedelta(microseconds=1))
    assert services.escalate_due() == []
    monkeypatch.setattr(timezone, "now", lambda: notice.due_at)
    assert services.escalate_due() == [notice]
    notice.refresh_from_db()
    assert notice.state == NoticeState.ESCALATED
    case = Case.objects.get()
    assert case.channel == Channel.INSPECTION and case.get_channel_display() == "检查整改"
    assert case.inspection_notice == notice and notice.number in case.text
    assert case.region == world.grid_a1
    # Sent up to the street and dispatched to the round's department as 主办, by the system.
    assert (case.level, case.state, case.handler) == ("street", "dispatched", scjg)
    lead = case.assignments.get(ended_at__isnull=True)
    assert (lead.role, lead.person, lead.assigned_by) == ("lead", scjg, None)
    assert list(case.events.order_by("seq").values_list("action", flat=True)) == [
        "submit",
        "escalate",
        "dispatch",
    ]
    assert Notification.objects.filter(user=scjg, verb="inspection_escalated").exists()
    assert services.escalate_due() == []  # once


def _overdue_case(world, monkeypatch, team=()) -> tuple[Notice, Case]:
    """A round's failed inspection whose notice was escalated at its deadline."""
    r = round_(world, [target(world)], team=list(team))
    answer_all(r.inspections.get(), world.users["community"], fail={5})
    _finish(world, r.inspections.get())
    notice = Notice.objects.get()
    monkeypatch.setattr(timezone, "now", lambda: notice.due_at)
    services.escalate_due()
    return notice, Case.objects.get()


def test_an_escalation_without_a_department_on_the_team_waits_for_the_street(world, monkeypatch):
    _notice, case = _overdue_case(world, monkeypatch)
    assert (case.level, case.state, case.handler) == ("street", "accepted", None)


def test_the_case_page_links_back_to_its_notice_for_those_who_may_open_it(
    world, client, monkeypatch
):
    scjg = officer(world)
    notice, case = _overdue_case(world, monkeypatch, [(scjg, MemberRole.DEPARTMENT)])
    client.force_login(world.users["street"])
    page = client.get(case.get_absolute_url()).content.decode()
    assert notice.get_absolute_url() in page and "整改通知单" in page
    client.force_login(scjg)  # the department sees the case it leads, and its round's notice
    assert notice.get_absolute_url() in client.get(case.get_absolute_url()).content.decode()


def test_a_target_with_an_earlier_notice_is_flagged_on_its_next_round(world):
    canteen, other = target(world), target(world, "彩香实验小学食堂")
    r = round_(world, [canteen])
    answer_all(r.inspections.get(), world.users["community"], fail={5})
    _finish(world, r.inspections.get())
    later = round_(world, [canteen, other], title="秋季检查")
    flags = dict(later.inspections.values_list("target__name", "repeat_offender"))
    assert flags == {"彩香小学食堂": True, "彩香实验小学食堂": False}


def test_a_blank_or_forged_signature_is_refused(world):
    r = round_(world, [target(world)])
    answer_all(r.inspections.get(), world.users["community"])
    for bad in ("", "data:image/png;base64,AAAA", "data:text/html;base64,PGI+"):
        with pytest.raises(ValidationError) as exc:
            services.inspection_finish(
                actor=world.users["community"],
                inspection=r.inspections.get(),
                ack_name="王建国",
                signature=bad,
            )
        assert "signature" in exc.value.message_dict


def test_a_round_shows_where_it_stands_by_its_dates_until_it_is_closed():
    """A round the street has not closed reads 计划中 before its first day, 进行中 up to its
    last, then 待结束 (its page offers to close it); closed, 已完成."""
    today = timezone.localdate()
    r = Round(starts_on=today + timedelta(days=1), ends_on=today + timedelta(days=3))
    assert r.phase_display() == "计划中"
    r.starts_on = today
    assert r.phase_display() == "进行中"
    r.starts_on, r.ends_on = today - timedelta(days=5), today - timedelta(days=1)
    assert r.phase_display() == "待结束"
    r.state = RoundState.DONE
    assert r.phase_display() == "已完成"
