"""In a browser: a community worker collects the week's service and confirms one proposal
and rejects another (desktop); the pioneer, on a phone (390×844), opens their record and
their certificate."""

import pytest

from genxi.core import pdf
from genxi.core.testing.browser import login, open_menu, screenshot
from genxi.volunteering import services
from genxi.volunteering.models import HoursRecord, HoursStatus

from .helpers import finished_event, served_shift

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pioneer(world):
    return world.pioneer(world.grid_a1, "P-B1", "王海棠", user=world.users["grid"])


def test_an_organiser_confirms_proposed_hours(page, world, pioneer):
    finished_event(world, pioneer, hours=3)
    served_shift(pioneer)
    login(page, "community")
    open_menu(page, "志愿时长")
    page.wait_for_selector("#collect")
    page.click("#collect")
    page.wait_for_selector("#records tr.record")
    assert page.locator("#records tr.record").count() == 2
    screenshot(page, "volunteering-1-proposed-desk")
    event_row = HoursRecord.objects.get(source="event")
    duty_row = HoursRecord.objects.get(source="duty")
    row = page.locator(f"tr[data-record='{event_row.pk}']")
    row.locator("input[name=hours]").fill("2.5")
    row.locator("button:text('确认')").click()
    page.wait_for_selector(".alert-success:has-text('2.5')")
    row = page.locator(f"tr[data-record='{duty_row.pk}']")
    row.locator("button:text('退回')").click()  # without a reason: refused on its field
    page.wait_for_selector("[data-error-for=reason]")
    screenshot(page, "volunteering-1b-refused-desk")
    assert HoursRecord.objects.get(pk=duty_row.pk).status == HoursStatus.PROPOSED
    row = page.locator(f"tr[data-record='{duty_row.pk}']")
    row.locator("input[name=reason]").fill("当天未到岗")
    row.locator("button:text('退回')").click()
    page.wait_for_selector(".alert-success:has-text('已退回')")
    event_row.refresh_from_db()
    duty_row.refresh_from_db()
    assert event_row.status == HoursStatus.CONFIRMED and event_row.hours == 2.5
    assert event_row.points and event_row.rules.version == 1
    assert duty_row.status == HoursStatus.REJECTED and duty_row.reason == "当天未到岗"
    page.goto("/volunteering/board/")
    page.wait_for_selector("#by-kind")
    assert "王海棠" in page.inner_text("#pioneers")
    assert page.locator("#by-kind tbody tr").count() == 5
    screenshot(page, "volunteering-2-board-desk")


def test_a_pioneer_opens_their_record_and_certificate_on_a_phone(phone_page, world, pioneer):
    served_shift(pioneer)
    finished_event(world, pioneer, hours=2)
    services.collect()
    for record in HoursRecord.objects.all():
        services.hours_confirm(actor=world.users["community"], record=record)
    page = phone_page
    login(page, "grid")
    open_menu(page, "志愿时长")
    page.wait_for_selector("#total-hours")
    assert page.inner_text("#total-hours") == "6.0"
    assert "我的志愿服务记录" in page.inner_text("h1")
    screenshot(page, "volunteering-3-record-phone")
    href = page.get_attribute("#certificate", "href")
    response = page.request.get(href)
    assert response.headers["content-type"] == "application/pdf"
    text = pdf.text(response.body())
    assert "王海棠" in text and "6.0" in text
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing wider than the phone
