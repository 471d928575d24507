"""Co-building forms: each form's own checks, and a refused action shows its error beside
the field on the page it came from, answers 4xx and writes nothing."""

from datetime import timedelta

import pytest
from django import forms as djforms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from genxi.cases.categories import ensure as ensure_categories
from genxi.cases.models import Category
from genxi.cobuild import forms, services
from genxi.cobuild.models import Claim, Meeting, Need, Project, Resolution, ServiceOffer
from genxi.core.forms import refuse
from genxi.core.models import AuditEvent
from genxi.core.testing.images import jpeg_with_gps

from .helpers import weekly_service

pytestmark = pytest.mark.django_db


REQUIRED = str(djforms.Field.default_error_messages["required"])


def error(field: str, message: str) -> str:
    """How a page shows `message` beside `field`."""
    return f'<div class="text-danger small" data-error-for="{field}">{message}</div>'


@pytest.fixture
def need(world):
    return services.need_create(
        actor=world.users["community"],
        community=world.a1,
        title="周末助老志愿服务",
        kind="volunteers",
        quantity=4,
        unit_label="志愿小时",
    )


@pytest.fixture
def meeting(world):
    ensure_categories(Category)
    return services.meeting_create(
        actor=world.users["street"],
        host=world.street_a,
        title="金阊街道共建联席会",
        starts_at=timezone.now() - timedelta(hours=1),
        place="街道党群服务中心",
        units=[world.objs["unit_a"]],
    )


def service_post(world, **changes):
    first = timezone.localdate() + timedelta(days=1)
    data = {
        "community": world.a1.pk,
        "title": "免费法律咨询",
        "kind": "legal",
        "place": "社区服务中心",
        "weekday": first.weekday(),
        "start_time": "14:00",
        "end_time": "17:00",
        "first": first.isoformat(),
        "last": (first + timedelta(weeks=2)).isoformat(),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def resolution_post(world, **changes):
    data = {
        "text": "为彩香一村招募助老志愿者",
        "kind": "need",
        "community": world.a1.pk,
        "owner": world.users["community"].pk,
        "deadline": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "need_kind": "volunteers",
        "quantity": "40",
        "unit_label": "志愿小时",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# Each form's clean


def test_claim_form_checks_unit_quantity_and_resource(world):
    liaison = world.users["unit"]
    other = services.resource_create(
        actor=world.users["unit"],
        unit=world.objs["unit_a"],
        kind="volunteers",
        description="志愿者队伍",
        capacity=10,
        unit_label="志愿小时",
    )
    form = forms.ClaimForm({"unit": world.objs["unit_b"].pk, "quantity": "0"}, user=liaison)
    assert not form.is_valid()
    assert form.errors["unit"] == ["只能以本单位的名义认领。"]
    assert form.errors["quantity"] == ["数量至少为 1。"]
    form = forms.ClaimForm(
        {"unit": world.objs["unit_a"].pk, "quantity": "2", "resource": other.pk}, user=liaison
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["resource"] == other and form.cleaned_data["quantity"] == 2
    # A resource the user cannot see is not a choice.
    form = forms.ClaimForm(
        {"unit": world.objs["unit_a"].pk, "quantity": "2", "resource": other.pk},
        user=world.users["community"],
    )
    assert not form.is_valid() and "resource" in form.errors


def test_service_form_requires_dates_and_orders_them(world):
    user = world.users["community"]
    form = forms.ServiceForm(service_post(world, first=None), user=user)
    assert not form.is_valid()
    assert form.errors["first"] == [REQUIRED]
    form = forms.ServiceForm(service_post(world, end_time="13:00", last="2000-01-01"), user=user)
    assert not form.is_valid()
    assert form.errors["end_time"] == ["结束时间须晚于开始时间。"]
    assert form.errors["last"] == ["结束日期不能早于开始日期。"]
    form = forms.ServiceForm(service_post(world, weekday="9", start_time="25:00"), user=user)
    assert not form.is_valid() and {"weekday", "start_time"} <= set(form.errors)
    form = forms.ServiceForm(service_post(world), user=user)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["capacity"] == 10 and isinstance(form.cleaned_data["weekday"], int)


def test_resolution_form_requires_owner_among_the_hosts_staff(world, meeting):
    user = world.users["street"]
    form = forms.ResolutionForm(resolution_post(world, owner=None), user=user, meeting=meeting)
    assert not form.is_valid()
    assert form.errors["owner"] == ["请选择责任人。"]
    outsider = world.users["outsider"]
    form = forms.ResolutionForm(
        resolution_post(world, owner=outsider.pk), user=user, meeting=meeting
    )
    assert not form.is_valid()
    assert form.errors["owner"] == ["责任人须是该社区或街道的工作人员。"]
    form = forms.ResolutionForm(
        resolution_post(world, deadline="", text=" "), user=user, meeting=meeting
    )
    assert form.errors["deadline"] == ["请填写完成时限。"]
    assert form.errors["text"] == ["请填写决议事项。"]
    form = forms.ResolutionForm(resolution_post(world, budget=""), user=user, meeting=meeting)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["budget"] == 0 and form.cleaned_data["quantity"] == 40


def test_meeting_agenda_opinion_record_and_reason_forms(world, meeting):
    user = world.users["street"]
    form = forms.MeetingForm(
        {"host": world.street_b.pk, "title": "x", "starts_at": "明天", "place": "y"}, user=user
    )
    assert not form.is_valid()
    assert form.errors["host"] == ["联席会由街道或社区召集。"]  # not within the user's scope
    assert "starts_at" in form.errors
    form = forms.MeetingForm(
        {
            "host": world.street_a.pk,
            "title": "联席会",
            "starts_at": "2026-12-01T09:30",
            "place": "中心",
            "agenda": "通报项目\n\n  听取意见 \n",
        },
        user=user,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["agenda"] == ["通报项目", "听取意见"]
    assert timezone.is_aware(form.cleaned_data["starts_at"])

    assert forms.AgendaForm({"title": ""}).errors["title"] == ["请填写议题。"]
    assert forms.ReasonForm({"reason": ""}).errors["reason"] == ["请说明原因。"]
    opinion = forms.OpinionForm({"case": "", "note": "  "}, user=user)
    assert opinion.errors["note"] == ["请选择一件诉求或填写走访记录。"]
    opinion = forms.OpinionForm({"case": "NOPE-1", "note": ""}, user=user)
    assert "case" in opinion.errors
    record = forms.RecordForm({"minutes": "", "attended": ["999999"]}, meeting=meeting)
    assert record.errors["minutes"] == ["请填写会议纪要。"] and "attended" in record.errors
    invitee = meeting.invitees.get()
    record = forms.RecordForm({"minutes": "纪要", "attended": [invitee.pk]}, meeting=meeting)
    assert record.is_valid() and record.cleaned_data["attended"] == {invitee.pk}


def test_list_forms_parse_numbers_and_choices(world):
    community, liaison = world.users["community"], world.users["unit"]
    need = forms.NeedForm(
        {"community": world.b1.pk, "title": "", "kind": "?", "quantity": "x", "unit_label": ""},
        user=community,
    )
    assert not need.is_valid()
    assert {"community", "title", "kind", "quantity", "unit_label"} <= set(need.errors)
    resource = forms.ResourceForm(
        {"unit": world.objs["unit_b"].pk, "kind": "legal", "capacity": "0", "radius_m": "-5"},
        user=liaison,
    )
    assert resource.errors["unit"] == ["只能为本单位登记资源。"]
    assert resource.errors["capacity"] == ["数量至少为 1。"]
    assert "radius_m" in resource.errors and "description" in resource.errors
    project = forms.ProjectForm(
        {
            "community": world.a1.pk,
            "title": "口袋公园",
            "goal": "改造",
            "budget": "-1",
            "start": "2026-12-01",
            "end": "2026-11-01",
        },
        user=community,
    )
    assert project.errors["budget"] == ["数量不能为负。"]
    assert project.errors["end"] == ["结束日期不能早于开始日期。"]
    deliver = forms.DeliverForm({"amount": "-1", "beneficiaries": ""})
    assert deliver.errors["amount"] == ["数量不能为负。"]
    deliver = forms.DeliverForm({"amount": "3", "beneficiaries": ""})
    assert deliver.is_valid() and deliver.cleaned_data["beneficiaries"] == 0
    claim = forms.ProjectClaimForm(
        {"unit": world.objs["unit_a"].pk, "kind": "", "quantity": "5", "unit_label": ""},
        user=liaison,
    )
    assert claim.errors["kind"] == ["请选择投入的类别。"]
    assert claim.errors["unit_label"] == ["请填写数量的单位,如:元、志愿小时。"]
    assert forms.SlotClaimForm({}, user=community).errors["unit"] == ["只能以本单位的名义认领。"]
    assert forms.ProjectStatusForm({"status": "gone"}).errors["status"]
    match = forms.MatchForm({"need": "1x", "resource": ""}, user=world.users["street"])
    assert {"need", "resource"} <= set(match.errors)


def test_refuse_puts_service_errors_on_their_fields():
    form = forms.AgendaForm({"title": "议题"})
    assert form.is_valid()
    refuse(form, ValidationError({"status": "会议已召开", "other": "别的"}))
    assert form.errors["title"] == ["会议已召开"]  # AgendaForm maps status to its title
    assert form.non_field_errors() == ["别的"]
    form = forms.ReasonForm({"reason": "改期"})
    assert form.is_valid()
    refuse(form, PermissionDenied("不行"))
    assert form.non_field_errors() == ["不行"] and form.status == 403


# The field error on the page; nothing written


def test_an_over_quantity_claim_shows_beside_the_quantity(client, world, need):
    client.force_login(world.users["unit"])
    events = AuditEvent.objects.count()
    response = client.post(
        reverse("cobuild:claim_new", args=[need.pk]),
        {"unit": world.objs["unit_a"].pk, "quantity": "9"},
    )
    assert response.status_code == 400
    assert error("quantity", "最多还可认领 4 志愿小时。") in response.content.decode()
    assert 'id="claim-form"' in response.content.decode()
    assert not Claim.objects.exists() and AuditEvent.objects.count() == events


def test_a_service_without_its_first_date_shows_beside_the_date(client, world):
    client.force_login(world.users["community"])
    response = client.post(reverse("cobuild:service_new"), service_post(world, first=None))
    assert response.status_code == 400
    page = response.content.decode()
    assert error("first", REQUIRED) in page
    assert 'value="免费法律咨询"' in page  # what was typed stays in the form
    assert not ServiceOffer.objects.exists()


def test_an_agenda_item_on_a_held_meeting_shows_beside_the_title(client, world, meeting):
    street = world.users["street"]
    services.meeting_record(actor=street, meeting=meeting, minutes="已召开")
    client.force_login(street)
    items = meeting.agenda.count()
    response = client.post(
        reverse("cobuild:meeting_act", args=[meeting.pk, "agenda"]), {"title": "再加一项"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert error("title", "会议已召开或已取消,议程不能再改。") in page
    assert 'value="再加一项"' in page
    assert meeting.agenda.count() == items


def test_a_resolution_without_owner_shows_beside_the_owner(client, world, meeting):
    client.force_login(world.users["street"])
    response = client.post(
        reverse("cobuild:meeting_act", args=[meeting.pk, "resolution"]),
        resolution_post(world, owner=None),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert error("owner", "请选择责任人。") in page
    assert 'value="为彩香一村招募助老志愿者"' in page
    assert not Resolution.objects.exists() and not Need.objects.exists()


def test_a_refused_claim_action_shows_under_its_claim(client, world, need):
    claim = services.claim_create(
        actor=world.users["unit"], need=need, unit=world.objs["unit_a"], quantity=2
    )
    client.force_login(world.users["community"])
    response = client.post(reverse("cobuild:claim_act", args=[claim.pk, "reject"]), {})
    assert response.status_code == 400
    assert error("reason", "请说明不通过的原因。") in response.content.decode()
    services.claim_approve(actor=world.users["community"], claim=claim)
    response = client.post(reverse("cobuild:claim_act", args=[claim.pk, "approve"]))
    assert response.status_code == 400
    assert error("form", "该认领已处理过。") in response.content.decode()
    response = client.post(
        reverse("cobuild:claim_act", args=[claim.pk, "deliver"]), {"amount": "-3"}
    )
    assert response.status_code == 400
    assert error("amount", "数量不能为负。") in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == "approved" and not claim.delivered_amount


def test_a_refused_permission_answers_403_on_the_form(client, world, need):
    resource = services.resource_create(
        actor=world.users["unit"],
        unit=world.objs["unit_a"],
        kind="volunteers",
        description="志愿者队伍",
        capacity=10,
        unit_label="志愿小时",
    )
    client.force_login(world.users["unit"])  # a unit does not propose to itself
    response = client.post(
        reverse("cobuild:match_decide", args=["accept"]),
        {"need": need.pk, "resource": resource.pk, "quantity": "2"},
    )
    assert response.status_code == 403
    assert "只有该社区或街道的工作人员可以处理匹配建议。" in response.content.decode()
    assert not Claim.objects.exists()


GARBAGE = {
    "community": "x",
    "unit": "x",
    "resource": "x",
    "need": "x",
    "host": "x",
    "owner": "x",
    "resident": "x",
    "case": "x",
    "quantity": "many",
    "capacity": "-",
    "budget": "1e9x",
    "amount": "?",
    "beneficiaries": "?",
    "radius_m": "far",
    "weekday": "monday",
    "start_time": "noon",
    "end_time": "late",
    "first": "soon",
    "last": "later",
    "start": "31/31",
    "end": "0000-00-00",
    "starts_at": "tomorrow",
    "deadline": "never",
    "attended": ["x", "-1"],
    "status": "gone",
    "kind": "???",
    "need_kind": "???",
}


HUGE = {
    **GARBAGE,
    "quantity": "99999999999999",
    "capacity": "99999999999999",
    "budget": "99999999999999",
    "amount": "99999999999999",
    "first": "9999-12-31",
    "last": "9999-12-31",
    "weekday": "6",
    "start": "0001-01-01",
    "starts_at": "9999-12-31T23:59",
    "deadline": "9999-12-31",
}


@pytest.mark.parametrize("data", [GARBAGE, HUGE], ids=["garbage", "huge"])
@pytest.mark.parametrize("who", ["street", "community", "unit"])
def test_garbage_never_answers_500_nor_writes(client, world, need, meeting, who, data):
    service = weekly_service(world, weeks=1)
    slot = service.slots.get()
    claim = services.claim_create(
        actor=world.users["unit"], need=need, unit=world.objs["unit_a"], quantity=1
    )
    urls = [
        reverse("cobuild:need_new"),
        reverse("cobuild:resource_new"),
        reverse("cobuild:claim_new", args=[need.pk]),
        reverse("cobuild:project_new"),
        reverse("cobuild:service_new"),
        reverse("cobuild:slot_act", args=[slot.pk]),
        reverse("cobuild:meeting_new"),
        reverse("cobuild:match_decide", args=["accept"]),
        reverse("cobuild:match_decide", args=["reject"]),
    ]
    urls += [reverse("cobuild:claim_act", args=[claim.pk, a]) for a in ("reject", "deliver")]
    urls += [
        reverse("cobuild:meeting_act", args=[meeting.pk, a])
        for a in ("opinion", "invite", "record", "resolution")
    ]
    counts = [m.objects.count() for m in (Need, Claim, Project, ServiceOffer, Meeting, Resolution)]
    client.force_login(world.users[who])
    events = AuditEvent.objects.count()
    for url in urls:
        response = client.post(url, data)
        assert response.status_code < 500, url
        assert response.status_code != 302, url
    assert [
        m.objects.count() for m in (Need, Claim, Project, ServiceOffer, Meeting, Resolution)
    ] == (counts)
    assert AuditEvent.objects.count() == events


def test_delivery_photos_go_through_the_form(client, world, need):
    claim = services.claim_create(
        actor=world.users["unit"], need=need, unit=world.objs["unit_a"], quantity=2
    )
    services.claim_approve(actor=world.users["community"], claim=claim)
    client.force_login(world.users["unit"])
    photo = SimpleUploadedFile("d.jpg", jpeg_with_gps().getvalue(), content_type="image/jpeg")
    response = client.post(
        reverse("cobuild:claim_act", args=[claim.pk, "deliver"]),
        {"amount": "2", "beneficiaries": "", "photos": [photo]},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "delivered" and claim.beneficiaries_served == 0
    assert claim.photos.count() == 1


def test_a_refusal_shows_where_the_form_is_not_offered(client, world, meeting):
    street = world.users["street"]
    services.meeting_cancel(actor=street, meeting=meeting, reason="台风改期")
    client.force_login(street)
    response = client.post(
        reverse("cobuild:meeting_act", args=[meeting.pk, "record"]), {"minutes": "纪要"}
    )
    assert response.status_code == 400
    assert error("form", "会议已取消。") in response.content.decode()
    # A liaison is offered no need form; its refused post still says why.
    client.force_login(world.users["unit"])
    response = client.post(
        reverse("cobuild:need_new"),
        {"community": world.a1.pk, "title": "助老", "kind": "volunteers", "quantity": "2"},
    )
    assert response.status_code in (400, 403)
    assert 'data-error-for="' in response.content.decode()
    assert not Need.objects.exists()


def test_out_of_range_numbers_and_dates_are_field_errors(client, world):
    client.force_login(world.users["community"])
    response = client.post(
        reverse("cobuild:need_new"),
        {
            "community": world.a1.pk,
            "title": "助老",
            "kind": "volunteers",
            "quantity": "99999999999999",
            "unit_label": "小时",
        },
    )
    assert response.status_code == 400 and 'data-error-for="quantity"' in response.content.decode()
    response = client.post(
        reverse("cobuild:service_new"),
        service_post(world, first="9999-12-31", last="9999-12-31", weekday="6"),
    )
    assert response.status_code == 400 and 'data-error-for="first"' in response.content.decode()
    assert not Need.objects.exists() and not ServiceOffer.objects.exists()
