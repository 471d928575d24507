"""The pages: the calendar (month, week), the plan's form and publishing, an event's
page, the public registration with its ticket and QR code, the check-in, the feed."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from genxi.events.domain.ical import unfold
from genxi.events.models import EventStatus, MonthPlan, PlanStatus, Registration

from .helpers import event, register


def test_the_calendar_shows_the_month_and_the_week(client, world):
    ev = event(world, title="冬日送暖")
    client.force_login(world.users["community"])
    month = timezone.localtime(ev.starts_at).strftime("%Y-%m")
    page = client.get(reverse("events:calendar"), {"community": world.a1.code, "month": month})
    assert page.status_code == 200 and "冬日送暖" in page.content.decode()
    week = timezone.localtime(ev.starts_at).date().isoformat()
    page = client.get(reverse("events:calendar"), {"community": world.a1.code, "week": week})
    assert "冬日送暖" in page.content.decode()
    assert client.get(reverse("events:calendar"), {"community": world.b1.code}).status_code == 404


def test_a_month_plan_is_written_and_published(client, world):
    client.force_login(world.users["community"])
    month = (timezone.localdate().replace(day=1) + timedelta(days=40)).replace(day=1)
    url = reverse("events:plan_edit", args=[world.a1.code, f"{month:%Y-%m}"])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"title": ""})
    assert bad.status_code == 400 and 'data-error-for="title"' in bad.content.decode()
    theme_field = f"w{month.isoformat()}"
    assert client.post(url, {"title": "一月计划", theme_field: "敬老周"}).status_code == 302
    plan = MonthPlan.objects.get()
    assert plan.themes.get().theme == "敬老周"
    client.force_login(world.users["grid"])
    assert client.get(url).status_code == 403
    assert client.post(reverse("events:plan_publish", args=[plan.pk])).status_code == 403
    client.force_login(world.users["community"])
    assert client.post(reverse("events:plan_publish", args=[plan.pk])).status_code == 302
    assert MonthPlan.objects.get().status == PlanStatus.PUBLISHED


def test_a_resident_registers_gets_a_ticket_and_is_checked_in(client, world):
    ev = event(world, capacity=1)
    page = client.get(reverse("events:public_event", args=[ev.pk]))
    assert page.status_code == 200 and "敬老助餐" in page.content.decode()
    bad = client.post(reverse("events:public_event", args=[ev.pk]), {"name": "王", "phone": "12"})
    assert bad.status_code == 400 and 'data-error-for="phone"' in bad.content.decode()
    answer = client.post(
        reverse("events:public_event", args=[ev.pk]), {"name": "王阿姨", "phone": "13912345678"}
    )
    reg = Registration.objects.get()
    assert answer.status_code == 302 and answer.url == reverse("events:ticket", args=[reg.code])
    ticket = client.get(answer.url).content.decode()
    assert "王**" in ticket and "139****5678" in ticket and "13912345678" not in ticket
    qr = client.get(reverse("events:ticket_qr", args=[reg.code]))
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    assert b"<svg" in qr.content
    second = register(ev, 2)
    assert (
        "候补名单第 1 位"
        in client.get(reverse("events:ticket", args=[second.code])).content.decode()
    )
    client.force_login(world.users["community"])
    url = reverse("events:checkin", args=[ev.pk])
    assert client.get(url).status_code == 200
    wrong = client.post(url, {"code": "NOPE"})
    assert wrong.status_code == 400 and 'data-error-for="code"' in wrong.content.decode()
    ok = client.post(url, {"code": reg.code.lower()})
    assert ok.status_code == 200 and "签到成功" in ok.content.decode()
    assert Registration.objects.get(pk=reg.pk).checked_in_at is not None
    client.force_login(world.users["grid"])
    assert client.get(url).status_code == 403


def test_a_resident_cancels_and_the_next_moves_up(client, world):
    ev = event(world, capacity=1)
    first, second = register(ev, 1), register(ev, 2)
    answer = client.post(reverse("events:ticket_cancel", args=[first.code]))
    assert answer.status_code == 302
    assert Registration.objects.get(pk=second.pk).status == "registered"


def test_the_feed_is_icalendar(client, world):
    ev = event(world, title="围巾, 手套; 发放")
    cancelled = event(world, title="取消的活动")
    cancelled.status = EventStatus.CANCELLED
    cancelled.save()
    answer = client.get(reverse("events:feed", args=[world.a1.code]))
    assert answer["Content-Type"].startswith("text/calendar")
    lines = unfold(answer.content.decode())
    assert lines[0] == "BEGIN:VCALENDAR" and "SUMMARY:围巾\\, 手套\\; 发放" in lines
    assert f"UID:event-{ev.pk}@genxi" in lines and "STATUS:CANCELLED" in lines


def test_the_event_page_runs_the_event(client, world):
    ev = event(world, capacity=2)
    register(ev, 1)
    client.force_login(world.users["community"])
    url = reverse("events:event", args=[ev.pk])
    page = client.get(url).content.decode()
    assert "139****0001" in page and "13900000001" not in page
    assert (
        client.post(
            reverse("events:act", args=[ev.pk, "register"]), {"name": "李", "phone": "13900000002"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            reverse("events:act", args=[ev.pk, "material"]),
            {"name": "围巾", "unit": "条", "quantity": "40"},
        ).status_code
        == 302
    )
    assert "围巾" in client.get(url).content.decode()
    bad = client.post(reverse("events:act", args=[ev.pk, "summary"]), {"served": "-1"})
    assert bad.status_code == 400
    assert client.post(reverse("events:act", args=[ev.pk, "nope"])).status_code == 404


def test_the_workbench_count_is_the_summaries_list(client, world):
    start = timezone.now() - timedelta(hours=5)
    for n in range(2):
        event(world, title=f"待总结{n}", starts_at=start, ends_at=start + timedelta(hours=1))
    event(world, title="未开始")
    from genxi.events.selectors import work_counts

    for who in ("community", "street"):
        client.force_login(world.users[who])
        (count,) = [c for c in work_counts(world.users[who]) if c.key == "events.summary"]
        page = client.get(count.url).content.decode()
        assert count.count == 2 == page.count('class="event"')


def test_a_photo_is_uploaded_without_its_location_and_served_to_who_sees_the_event(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from genxi.core.testing.images import jpeg_with_gps

    ev = event(world)
    client.force_login(world.users["community"])
    photo = SimpleUploadedFile("p.jpg", jpeg_with_gps().getvalue(), content_type="image/jpeg")
    answer = client.post(reverse("events:act", args=[ev.pk, "photo"]), {"photo": photo})
    assert answer.status_code == 302
    stored = ev.photos.get()
    with stored.image.open("rb") as handle:
        assert not Image.open(handle).getexif().get_ifd(0x8825)
    url = reverse("photo", args=["event", stored.pk, "thumb"])
    assert client.get(url).status_code == 200
    client.force_login(world.users["outsider"])
    assert client.get(url).status_code == 404


def test_a_refused_step_says_why_at_the_top_naming_the_step_and_field(client, world):
    """A refused step answers 400 with its reason summed up at the top of the event's page
    (naming the step, and the field when there is one), also when the step has no form to
    show it on: publishing an event already published (a second tab), cancelling a
    registration already cancelled, registering for an event cancelled meanwhile."""
    ev = event(world)  # published
    client.force_login(world.users["community"])
    page = client.post(reverse("events:act", args=[ev.pk, "publish"]))
    body = page.content.decode()
    assert page.status_code == 400
    assert 'id="refusals"' in body and "发布活动:活动当前的状态不能这样做。" in body
    reg = register(ev, 1)
    url = reverse("events:act", args=[ev.pk, "unregister"])
    unsaid = client.post(url, {"registration": reg.pk})
    assert (
        unsaid.status_code == 400
        and "报名名单 · 取消原因:请写明取消原因" in unsaid.content.decode()
    )
    assert client.post(url, {"registration": reg.pk, "reason": "重复报名"}).status_code == 302
    again = client.post(url, {"registration": reg.pk, "reason": "重复报名"})
    assert again.status_code == 400 and "报名名单:这个报名已经取消了。" in again.content.decode()
    bad = client.post(reverse("events:act", args=[ev.pk, "register"]), {"name": "王", "phone": ""})
    assert bad.status_code == 400 and "代报名 · 手机号:" in bad.content.decode()
    client.post(reverse("events:act", args=[ev.pk, "cancel"]), {"reason": "下雨"})
    late = client.post(
        reverse("events:act", args=[ev.pk, "register"]), {"name": "王阿姨", "phone": "13912345678"}
    )
    body = late.content.decode()
    assert late.status_code == 400 and 'id="register-form"' not in body
    assert 'data-error-for="name"' in body and "代报名 · 姓名:这个活动现在不接受报名。" in body
    public = client.post(
        reverse("events:public_event", args=[ev.pk]), {"name": "王阿姨", "phone": "13912345679"}
    )
    body = public.content.decode()
    assert public.status_code == 400 and 'data-error-for="name"' in body
    assert "这个活动现在不接受报名。" in body


def test_a_cancelled_events_ticket_says_so_and_offers_no_check_in_or_cancel(client, world):
    from genxi.events import services

    ev = event(world)
    reg = register(ev, 1)
    pioneer = world.pioneer(world.grid_a1, "P-V1", "先锋丙")
    services.roster_join(actor=world.users["community"], event=ev, role="guide", pioneer=pioneer)
    services.event_cancel(actor=world.users["community"], event=ev, reason="暴雨")
    ticket = client.get(reverse("events:ticket", args=[reg.code])).content.decode()
    assert "这个活动已取消" in ticket and "原因:暴雨" in ticket
    public = client.get(reverse("events:public_event", args=[ev.pk])).content.decode()
    assert 'id="event-cancel-reason"' in public and "暴雨" in public
    assert 'id="ticket-qr"' not in ticket and 'id="ticket-cancel"' not in ticket
    refused = client.post(reverse("events:ticket_cancel", args=[reg.code]))
    assert refused.status_code == 400 and "不用再取消" in refused.content.decode()
    assert Registration.objects.get(pk=reg.pk).status == "registered"
    client.force_login(world.users["community"])
    page = client.get(ev.get_absolute_url()).content.decode()
    assert "'unregister'" not in page and "/unregister" not in page
    # Nothing was handed out and nothing photographed at an event that did not take place.
    assert 'id="material-form"' not in page and 'id="photo-form"' not in page
    # No sign-up link to hand out, no roster to change, no summary to wait for.
    assert 'id="public-link"' not in page and "/unroster" not in page and "先锋丙" in page
    assert "活动已取消,无需总结。" in page and "活动开始后填写" not in page
    refused = client.post(
        reverse("events:act", args=[ev.pk, "material"]), {"name": "围巾", "quantity": 3}
    )
    assert refused.status_code == 400 and "活动已取消" in refused.content.decode()


def test_the_ticket_names_its_code(client, world):
    """The code under the QR code is what a resident reads out when the scan fails: it is
    labelled 签到码, not a bare string of letters."""
    reg = register(event(world), 1)
    ticket = client.get(reverse("events:ticket", args=[reg.code])).content.decode()
    label, code = ticket.index("签到码"), ticket.index('id="ticket-code"')
    assert label < code


def test_a_demo_venue_says_the_community_once():
    from genxi.demo.events import venue

    assert venue("彩香一村社区", "社区活动室") == "彩香一村社区活动室"
    assert venue("彩香一村社区", "小区广场") == "彩香一村社区小区广场"
    assert venue("观景新村", "社区活动室") == "观景新村社区活动室"
