"""Projects, the service list with slots, and joint meetings whose resolutions become needs,
projects and cases; unfinished items are carried to the next meeting's agenda."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from genxi.cases.categories import ensure as ensure_categories
from genxi.cases.models import Case, CaseState, Category
from genxi.cobuild import selectors, services
from genxi.cobuild.domain.recurrence import weekly_dates
from genxi.cobuild.models import (
    ActionKind,
    ClaimStatus,
    MeetingStatus,
    NeedStatus,
    ProjectStatus,
    Resolution,
)
from genxi.core.models import AuditEvent

from .helpers import weekly_service


def test_weekly_dates():
    # 2026-12-01 is a Tuesday.
    assert weekly_dates(date(2026, 12, 1), date(2026, 12, 22), 1) == [
        date(2026, 12, 1),
        date(2026, 12, 8),
        date(2026, 12, 15),
        date(2026, 12, 22),
    ]
    assert weekly_dates(date(2026, 12, 2), date(2026, 12, 8), 1) == [date(2026, 12, 8)]
    assert weekly_dates(date(2026, 12, 2), date(2026, 12, 7), 1) == []
    assert len(weekly_dates(date(2026, 1, 1), date(2030, 1, 1), 0)) == 53
    with pytest.raises(ValueError):
        weekly_dates(date(2026, 1, 1), date(2026, 2, 1), 7)


def test_project_claim_approve_deliver_and_contributions(world):
    need = services.need_create(
        actor=world.users["community"],
        community=world.a1,
        title="老年食堂",
        kind="funds",
        quantity=5000,
        unit_label="元",
    )
    project = services.project_create(
        actor=world.users["community"],
        community=world.a1,
        title="彩香长者食堂",
        goal="为 80 岁以上老人提供午餐",
        budget=50000,
        needs=[need],
    )
    claim = services.claim_create(
        actor=world.users["unit"],
        project=project,
        unit=world.objs["unit_a"],
        kind="funds",
        unit_label="元",
        quantity=20000,
    )
    assert (claim.community, claim.kind) == (world.a1, "funds")
    services.claim_approve(actor=world.users["community"], claim=claim)
    services.claim_deliver(actor=world.users["unit"], claim=claim, amount=20000, beneficiaries=80)
    listed = selectors.project_list(user=world.users["community"]).get(pk=project.pk)
    assert (listed.units, listed.delivered) == (1, 20000)
    totals = selectors.totals(selectors.contributions(user=world.users["unit"], unit=claim.unit))
    assert [(t["kind"], t["unit_label"], t["delivered"]) for t in totals] == [
        ("funds", "元", 20000)
    ]
    services.project_set_status(
        actor=world.users["community"], project=project, status=ProjectStatus.DONE
    )
    with pytest.raises(ValidationError) as exc:
        services.claim_create(
            actor=world.users["unit"],
            project=project,
            unit=world.objs["unit_a"],
            kind="funds",
            unit_label="元",
            quantity=1,
        )
    assert "project" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.project_create(
            actor=world.users["community"], community=world.a1, title="", goal="", budget=-1
        )
    assert {"title", "goal", "budget"} <= set(exc.value.message_dict)
    with pytest.raises(PermissionDenied):
        services.project_create(
            actor=world.users["outsider"], community=world.a1, title="x", goal="y"
        )
    assert {"project.create", "project.status"} <= set(
        AuditEvent.objects.values_list("verb", flat=True)
    )


def _service(world, weeks=4):
    return weekly_service(world, weeks=weeks)


def test_service_slots_are_staffed_by_one_unit(world):
    service = _service(world)
    slots = list(service.slots.order_by("date"))
    assert len(slots) == 4
    other = world.unit(world.street_a, "U-A-2", "丙共建单位", pair_with=[world.a1])
    from genxi.core.roles import Role
    from genxi.core.testing.world import make_user

    other_liaison = make_user("liaison2", Role.UNIT_LIAISON, unit=other)
    first = services.claim_create(
        actor=world.users["unit"], slot=slots[0], unit=world.objs["unit_a"]
    )
    second = services.claim_create(actor=other_liaison, slot=slots[0], unit=other)
    assert (first.quantity, first.kind) == (1, "legal")
    services.claim_approve(actor=world.users["community"], claim=first)
    slots[0].refresh_from_db()
    assert slots[0].unit == world.objs["unit_a"]
    with pytest.raises(ValidationError):  # the slot is taken: the second cannot be approved
        services.claim_approve(actor=world.users["community"], claim=second)
    with pytest.raises(ValidationError):  # nor claimed again
        services.claim_create(actor=other_liaison, slot=slots[0], unit=other)
    services.slot_cancel(actor=world.users["community"], slot=slots[1], reason="场地检修")
    with pytest.raises(ValidationError):
        services.claim_create(actor=other_liaison, slot=slots[1], unit=other)
    listed = selectors.service_list(user=world.users["community"]).get(pk=service.pk)
    assert listed.open_slots == 2  # four, one staffed, one cancelled
    with pytest.raises(ValidationError) as exc:
        services.service_create(
            actor=world.users["community"],
            community=world.a1,
            title="",
            kind="nope",
            place="x",
            weekday=9,
            start_time=time(17),
            end_time=time(14),
            first=date(2026, 12, 2),
            last=date(2026, 12, 1),
        )
    assert {"title", "kind", "weekday", "end_time", "last"} <= set(exc.value.message_dict)


@pytest.fixture
def meeting(world):
    ensure_categories(Category)
    return services.meeting_create(
        actor=world.users["street"],
        host=world.street_a,
        title="金阊街道第四季度共建联席会",
        starts_at=timezone.now() - timedelta(hours=2),
        place="街道党群服务中心",
        units=[world.objs["unit_a"]],
        residents=[world.resident(world.grid_a1, "居民代表甲")],
        agenda=["通报三季度共建项目", "听取居民意见"],
    )


def test_meeting_resolutions_become_need_project_case(world, meeting):
    assert [a.title for a in meeting.agenda.all()] == ["通报三季度共建项目", "听取居民意见"]
    case_before = Case.objects.count()
    street, community = world.users["street"], world.users["community"]
    deadline = timezone.localdate() + timedelta(days=30)
    need_item = services.resolution_add(
        actor=street,
        meeting=meeting,
        text="为彩香一村招募助老志愿者",
        kind=ActionKind.NEED,
        owner=community,
        deadline=deadline,
        community=world.a1,
        need_kind="volunteers",
        quantity=40,
        unit_label="志愿小时",
    )
    project_item = services.resolution_add(
        actor=street,
        meeting=meeting,
        text="建设口袋公园",
        kind=ActionKind.PROJECT,
        owner=community,
        deadline=deadline,
        community=world.a1,
        budget=80000,
    )
    case_item = services.resolution_add(
        actor=street,
        meeting=meeting,
        text="彩香新村5幢门口路灯不亮,居民晚上出行不便",
        kind=ActionKind.CASE,
        owner=community,
        deadline=deadline,
        community=world.a1,
    )
    assert need_item.need.quantity == 40 and need_item.need.end == deadline
    assert project_item.project.budget == 80000
    assert case_item.case.channel == "meeting" and Case.objects.count() == case_before + 1
    assert case_item.case.region.path.startswith(world.a1.path)
    assert not any(r.finished for r in (need_item, project_item, case_item))
    from genxi.core.models import Notification

    told = Notification.objects.filter(user=community, verb="action_item")
    assert told.count() == 3 and [n.subject for n in told].count(case_item.case) == 1
    services.meeting_record(
        actor=street,
        meeting=meeting,
        minutes="会议听取了居民意见,形成三项决议。",
        attended={meeting.invitees.first().pk},
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert sorted(meeting.invitees.values_list("attended", flat=True)) == [False, True]
    # The project is finished; the need and the case are not: the next agenda lists them.
    services.project_set_status(
        actor=community, project=project_item.project, status=ProjectStatus.DONE
    )
    nxt = services.meeting_create(
        actor=street,
        host=world.street_a,
        title="下一次联席会",
        starts_at=timezone.now() + timedelta(days=30),
        place="街道党群服务中心",
        agenda=["新议题"],
    )
    carried = [a.carried_id for a in nxt.agenda.all()]
    assert carried == [need_item.pk, case_item.pk, None]
    Case.objects.filter(pk=case_item.case_id).update(state=CaseState.CLOSED)
    need_item.need.status = NeedStatus.FILLED
    need_item.need.save()
    assert not Resolution.objects.unfinished().exists()
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"meeting.create", "meeting.resolution", "meeting.record", "case.create"} <= verbs


def test_resolution_input_errors_name_the_field_and_write_nothing(world, meeting):
    before = (Resolution.objects.count(), Case.objects.count())
    with pytest.raises(ValidationError) as exc:
        services.resolution_add(
            actor=world.users["street"],
            meeting=meeting,
            text="",
            kind="other",
            owner=world.users["unit"],  # a liaison is not staff
            deadline=date(2020, 1, 1),
        )
    assert {"text", "kind", "owner", "deadline"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError) as exc:  # a need needs a quantity: all or nothing
        services.resolution_add(
            actor=world.users["street"],
            meeting=meeting,
            text="招募志愿者",
            kind=ActionKind.NEED,
            owner=world.users["community"],
            deadline=timezone.localdate(),
            community=world.a1,
            need_kind="volunteers",
            quantity=0,
            unit_label="小时",
        )
    assert "quantity" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # outside the host's area
        services.resolution_add(
            actor=world.users["street"],
            meeting=meeting,
            text="x",
            kind=ActionKind.CASE,
            owner=world.users["street"],
            deadline=timezone.localdate(),
            community=world.b1,
        )
    assert (Resolution.objects.count(), Case.objects.count()) == before
    with pytest.raises(PermissionDenied):  # a community worker does not run a street meeting
        services.meeting_record(actor=world.users["community"], meeting=meeting, minutes="x")


def test_meeting_pages(client, world, meeting):
    client.force_login(world.users["street"])
    assert "金阊街道第四季度" in client.get("/cobuild/meetings/").content.decode()
    page = client.get(f"/cobuild/meetings/{meeting.pk}/").content.decode()
    assert "居民代表甲" in page and "通报三季度共建项目" in page
    response = client.post(
        f"/cobuild/meetings/{meeting.pk}/resolution/",
        {
            "text": "为彩香一村招募助老志愿者",
            "kind": "need",
            "community": world.a1.pk,
            "owner": world.users["community"].pk,
            "deadline": (timezone.localdate() + timedelta(days=10)).isoformat(),
            "need_kind": "volunteers",
            "quantity": "20",
            "unit_label": "志愿小时",
        },
    )
    assert response.status_code == 302
    assert Resolution.objects.get().need.quantity == 20
    # The liaison of an invited unit sees the meeting but may not change it.
    client.force_login(world.users["unit"])
    assert client.get(f"/cobuild/meetings/{meeting.pk}/").status_code == 200
    client.post(f"/cobuild/meetings/{meeting.pk}/record/", {"minutes": "改写"})
    meeting.refresh_from_db()
    assert meeting.minutes == ""
    client.force_login(world.users["outsider"])
    assert client.get(f"/cobuild/meetings/{meeting.pk}/").status_code == 404
    assert (
        client.post(f"/cobuild/meetings/{meeting.pk}/record/", {"minutes": "x"}).status_code == 404
    )


def test_project_and_service_pages(client, world):
    service = _service(world, weeks=2)
    project = services.project_create(
        actor=world.users["community"], community=world.a1, title="口袋公园", goal="建设"
    )
    client.force_login(world.users["unit"])
    assert "口袋公园" in client.get("/cobuild/projects/").content.decode()
    assert "免费法律咨询" in client.get("/cobuild/services/").content.decode()
    slot = service.slots.order_by("date").first()
    client.post(f"/cobuild/slots/{slot.pk}/", {"unit": world.objs["unit_a"].pk})
    client.post(
        f"/cobuild/projects/{project.pk}/act/",
        {"unit": world.objs["unit_a"].pk, "kind": "funds", "quantity": "500", "unit_label": "元"},
    )
    client.force_login(world.users["community"])
    page = client.get(f"/cobuild/services/{service.pk}/").content.decode()
    assert "甲共建单位" in page
    assert client.get(f"/cobuild/projects/{project.pk}/").status_code == 200
    from genxi.cobuild.models import Claim

    assert set(Claim.objects.values_list("status", flat=True)) == {ClaimStatus.PENDING}
    assert Claim.objects.count() == 2
    client.force_login(world.users["outsider"])
    assert client.get(f"/cobuild/services/{service.pk}/").status_code == 404
    assert client.get(f"/cobuild/projects/{project.pk}/").status_code == 404


def test_resource_page_posts_for_the_liaisons_own_unit_only(client, world):
    from genxi.cobuild.models import Resource

    client.force_login(world.users["unit"])
    form = {
        "kind": "legal",
        "capacity": "4",
        "unit_label": "场次",
        "description": "律师每月两次免费咨询",
        "radius_m": "1000",
    }
    client.post("/cobuild/resources/new/", {**form, "unit": world.objs["unit_a"].pk})
    client.post("/cobuild/resources/new/", {**form, "unit": world.objs["unit_b"].pk})
    (resource,) = Resource.objects.all()
    assert resource.unit == world.objs["unit_a"] and resource.radius_m == 1000
    assert resource.lat is not None and resource.lat == world.a1.center_lat  # paired centre
    assert "律师每月两次免费咨询" in client.get("/cobuild/resources/").content.decode()
    bad = client.post(
        "/cobuild/resources/new/", {**form, "unit": world.objs["unit_a"].pk, "capacity": "0"}
    )
    assert Resource.objects.count() == 1
    assert bad.status_code == 400
    assert '<div class="text-danger small" data-error-for="capacity">数量至少为 1。</div>' in (
        bad.content.decode()
    )


def test_agenda_items_and_cancelling_a_meeting(world, meeting):
    street = world.users["street"]
    services.agenda_add(actor=street, meeting=meeting, title="讨论暖冬行动")
    assert list(meeting.agenda.values_list("title", flat=True))[-1] == "讨论暖冬行动"
    with pytest.raises(ValidationError) as exc:
        services.meeting_cancel(actor=street, meeting=meeting, reason=" ")
    assert "reason" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.meeting_cancel(actor=world.users["community"], meeting=meeting, reason="改期")
    services.meeting_cancel(actor=street, meeting=meeting, reason="台风改期")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    with pytest.raises(ValidationError):  # a cancelled meeting is not held or changed
        services.meeting_record(actor=street, meeting=meeting, minutes="x")
    with pytest.raises(ValidationError):
        services.agenda_add(actor=street, meeting=meeting, title="再加一项")
    event = AuditEvent.objects.get(verb="meeting.cancel")
    assert event.reason == "台风改期" and event.after == {"status": "cancelled"}


def test_agenda_and_cancel_through_the_page(client, world, meeting):
    client.force_login(world.users["street"])
    url = f"/cobuild/meetings/{meeting.pk}/"
    client.post(url + "agenda/", {"title": "讨论暖冬行动"})
    assert "讨论暖冬行动" in client.get(url).content.decode()
    client.post(url + "cancel/", {"reason": "台风改期"})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert "cancel-form" not in client.get(url).content.decode()
