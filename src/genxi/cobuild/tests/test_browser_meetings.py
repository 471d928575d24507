"""In a browser: a street admin schedules a joint meeting, links a resident's case as an
opinion, records a resolution that becomes a need, saves the minutes and attendance; the
next meeting's agenda lists the unfinished item. A liaison staffs a service slot."""

from datetime import timedelta

import pytest
from django.utils import timezone

from genxi.cases.categories import ensure as ensure_categories
from genxi.cases.models import Category
from genxi.cobuild.models import ClaimStatus, Meeting, Need, Resolution
from genxi.core.testing.browser import login, open_menu, screenshot

from .helpers import weekly_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_meeting_to_action_item(page, world):
    ensure_categories(Category)
    from genxi.cases.services import case_create

    case = case_create(
        actor=world.users["community"],
        channel="phone",
        text="居民反映小区健身器材损坏,老人锻炼不便",
        region=world.grid_a1,
    )
    login(page, "street")
    open_menu(page, "联席会")
    form = page.locator("#meeting-form")
    form.locator("select[name=host]").select_option(str(world.street_a.pk))
    form.locator("input[name=title]").fill("金阊街道共建联席会")
    when = timezone.localtime() - timedelta(hours=1)
    form.locator("input[name=starts_at]").fill(when.strftime("%Y-%m-%dT%H:%M"))
    form.locator("input[name=place]").fill("街道党群服务中心")
    form.locator("textarea[name=agenda]").fill("通报共建项目\n听取居民意见")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#meeting-status[data-status=scheduled]")
    assert "甲共建单位" in page.inner_text("#invitees")  # paired units are invited
    # It started an hour ago: the stepper is at the minutes and attendance.
    assert page.get_attribute("#meeting-steps li[data-mark=current]", "data-step") == "record"

    page.locator("#opinion-form select[name=case]").select_option(case.code)
    page.click("#opinion-form button[type=submit]")
    page.wait_for_selector(f"#opinions >> text={case.code}")

    res = page.locator("#resolution-form")
    res.locator("input[name=text]").fill("为彩香一村招募助老志愿者")
    res.locator("select[name=kind]").select_option("need")
    res.locator("select[name=community]").select_option(str(world.a1.pk))
    res.locator("select[name=owner]").select_option(str(world.users["community"].pk))
    deadline = timezone.localdate() + timedelta(days=30)
    res.locator("input[name=deadline]").fill(deadline.isoformat())
    res.locator("select[name=need_kind]").select_option("volunteers")
    res.locator("input[name=quantity]").fill("40")
    res.locator("input[name=unit_label]").fill("志愿小时")
    res.locator("button[type=submit]").click()
    page.wait_for_selector("tr.resolution[data-finished='0']")

    page.locator("#invitees input[name=attended]").first.check()
    page.fill("#record-form textarea[name=minutes]", "会议听取了居民意见,决定招募助老志愿者。")
    page.click("#record-form button[type=submit]")
    page.wait_for_selector("#meeting-status[data-status=held]")
    # Held, with an unfinished action item: carrying it out is the step now.
    assert page.get_attribute("#meeting-steps li[data-mark=current]", "data-step") == "follow"
    assert page.locator("#cancel-form").count() == 0 and page.locator("#agenda-form").count() == 0
    screenshot(page, "meeting-1-held")

    meeting = Meeting.objects.get(title="金阊街道共建联席会")
    (resolution,) = Resolution.objects.filter(meeting=meeting)
    need = Need.objects.get(pk=resolution.need_id)
    assert (need.community, need.quantity, need.end) == (world.a1, 40, deadline)
    assert meeting.invitees.filter(attended=True).count() == 1

    # The next meeting opens with the unfinished item.
    open_menu(page, "联席会")
    assert "为彩香一村招募助老志愿者" in page.inner_text("#open-items")
    form = page.locator("#meeting-form")
    form.locator("select[name=host]").select_option(str(world.street_a.pk))
    form.locator("input[name=title]").fill("下一次联席会")
    nxt = timezone.localtime() + timedelta(days=30)
    form.locator("input[name=starts_at]").fill(nxt.strftime("%Y-%m-%dT%H:%M"))
    form.locator("input[name=place]").fill("街道党群服务中心")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#agenda li.carried")
    assert "为彩香一村招募助老志愿者" in page.inner_text("#agenda li.carried")


def test_liaison_staffs_a_service_slot(page, world, chromium, live_server):
    service = weekly_service(world, weeks=3)
    login(page, "unitliaison")
    open_menu(page, "服务清单")
    page.click("text=免费法律咨询")
    page.locator("tr.slot").first.locator("button[type=submit]").click()
    page.wait_for_selector("tr.slot .claim[data-status=pending]")

    staff_context = chromium.new_context(base_url=live_server.url, locale="zh-CN")
    staff = staff_context.new_page()
    login(staff, "community")
    staff.goto(f"/cobuild/services/{service.pk}/")
    staff.click("button[data-act=approve]")
    staff.wait_for_selector("tr.slot .claim[data-status=approved]")
    assert "甲共建单位" in staff.locator("tr.slot").first.inner_text()
    screenshot(staff, "service-slot-staffed")
    slot = service.slots.order_by("date").first()
    assert slot.unit == world.objs["unit_a"]
    assert slot.claims.get().status == ClaimStatus.APPROVED
    staff_context.close()
