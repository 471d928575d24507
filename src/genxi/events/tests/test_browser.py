"""In a browser: a community worker plans a month (themes, a draft event) and publishes it;
a resident on a phone (390×844) finds the event on the public calendar, registers, gets a
ticket with its QR code, and the organiser checks them in on a phone by typing the code."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from genxi.core.testing.browser import login, open_menu, screenshot, wait_until
from genxi.events.models import EventStatus, MonthPlan, PlanStatus, Registration

from .helpers import event, register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_planning_a_month_and_publishing_it(page, world):
    login(page, "community")
    open_menu(page, "活动日历")
    page.wait_for_selector("#plan")
    month = timezone.localdate().replace(day=1)
    page.click("#plan-edit")
    page.wait_for_selector("#plan-form")
    page.fill("#id_title", "本月周末社区")
    page.fill(f"#id_w{month.isoformat()}", "敬老孝亲周")
    page.click("#plan-form button[type=submit]")
    page.wait_for_selector("#plan-status")
    assert "敬老孝亲周" in page.inner_text("#plan")
    assert page.inner_text("#plan-status") == "草稿"
    # A draft event of the month, published with the plan.
    page.click("#event-new")
    page.wait_for_selector("#event-form")
    starts = timezone.localtime() + timedelta(hours=2)
    page.fill("#id_title", "冬日送暖")
    page.fill("#id_place", "社区活动室")
    page.fill("#id_starts_at", f"{starts:%Y-%m-%dT%H:%M}")
    page.fill("#id_ends_at", f"{starts + timedelta(hours=2):%Y-%m-%dT%H:%M}")
    page.fill("#id_capacity", "20")
    page.check("#id_audience_1")
    page.check("#id_draft")
    page.click("#event-form button[type=submit]")
    page.wait_for_selector("#event-status:text('草稿')")
    open_menu(page, "活动日历")
    page.wait_for_selector("#plan-publish")
    assert "冬日送暖" in page.inner_text("#calendar-grid")
    screenshot(page, "events-1-month-desk")
    page.click("#plan-publish")
    page.wait_for_selector("#plan-status:text('已发布')")
    assert MonthPlan.objects.get().status == PlanStatus.PUBLISHED
    from genxi.events.models import Event

    assert Event.objects.get().status == EventStatus.PUBLISHED
    page.click("text=周视图")
    page.wait_for_selector("text=起的一周")
    screenshot(page, "events-2-week-desk")


def test_a_resident_registers_on_a_phone_and_is_checked_in(phone_page, world):
    cache.clear()  # no registrations counted against this address by an earlier test
    ev = event(world, title="义诊进社区", days=0, capacity=5, organiser=world.users["community"])
    phone = phone_page
    phone.goto(f"/events/c/{world.a1.code}/?month={timezone.localtime(ev.starts_at):%Y-%m}")
    phone.wait_for_selector("#calendar-list")
    screenshot(phone, "events-3-public-calendar-phone")
    phone.click("#calendar-list >> text=义诊进社区")
    phone.wait_for_selector("#register-form")
    phone.fill("#id_name", "王阿姨")
    phone.fill("#id_phone", "139")
    phone.click("#register-submit")
    phone.wait_for_selector("[data-error-for=phone]")
    phone.fill("#id_phone", "13912345678")
    phone.click("#register-submit")
    phone.wait_for_selector("#ticket-qr")
    assert "报名成功" in phone.inner_text("#ticket-status")
    assert "139****5678" in phone.inner_text("#ticket") and "13912345678" not in phone.content()
    # The QR image is served and drawn (once it has loaded: the selector above only waits for
    # the element).
    wait_until(
        phone, "() => { const qr = document.getElementById('ticket-qr'); return qr.complete; }"
    )
    assert phone.evaluate("document.getElementById('ticket-qr').naturalWidth") > 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "events-4-ticket-phone")
    code = phone.inner_text("#ticket-code").strip()
    assert Registration.objects.get().code == code

    # The organiser, on their phone, types the code (no camera in the test's browser).
    phone.context.clear_cookies()
    login(phone, "community")
    phone.goto(f"/events/{ev.pk}/")
    phone.click("#checkin-open")
    phone.wait_for_selector("#checkin-form")
    phone.fill("#id_code", "WRONG1")
    phone.click("#checkin-submit")
    phone.wait_for_selector("[data-error-for=code]")
    phone.fill("#id_code", code.lower())
    phone.click("#checkin-submit")
    phone.wait_for_selector("#checkin-ok")
    assert "已签到 1 / 1 人" in phone.inner_text("#checkin-count")
    assert Registration.objects.get().checked_in_at is not None
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "events-5-checkin-phone")
    phone.click("text=义诊进社区")
    phone.wait_for_selector("#registrations")
    assert phone.inner_text("#count-checked") == "1"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "events-6-event-phone")


def test_the_organiser_cancels_a_place_saying_why_and_the_resident_reads_it(phone_page, world):
    ev = event(world, title="义诊进社区", capacity=5, organiser=world.users["community"])
    reg = register(ev, 1)
    phone = phone_page
    login(phone, "community")
    phone.goto(f"/events/{ev.pk}/")
    row = phone.locator("#registrations tr.registration").first
    row.locator("details.unregister summary").click()
    reason = row.locator("input[name=reason]")
    assert reason.get_attribute("required") is not None  # the phone asks before sending
    reason.fill("同一位居民重复报名")
    row.locator("button", has_text="确认取消").click()
    phone.wait_for_selector(".cancel-reason")
    assert "同一位居民重复报名" in phone.inner_text("#registrations")
    assert Registration.objects.get(pk=reg.pk).status == "cancelled"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "events-7-place-cancelled-phone")

    phone.context.clear_cookies()  # the resident, on their ticket
    phone.goto(f"/events/r/{reg.code}/")
    assert "已被工作人员取消" in phone.inner_text("#ticket-status")
    assert "同一位居民重复报名" in phone.inner_text("#ticket-cancel-reason")
    assert phone.locator("#ticket-cancel").count() == 0
    screenshot(phone, "events-8-ticket-cancelled-phone")
