"""In a browser: a duty volunteer on a phone logs visitors with one tap each and sees the
counts; a passer-by's phone finds the open stations on the public map and leaves a
reflection, which the volunteer approves."""

import pytest
from django.core.cache import cache

from genxi.core.testing.browser import login, open_menu, screenshot
from genxi.stations.domain.hours import parse_day
from genxi.stations.models import Reflection, StationVisit

from .helpers import station, volunteer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALWAYS = {d: parse_day("00:00-24:00") for d in range(7)}


def test_duty_volunteer_logs_visits_with_one_tap(phone_page, world):
    s = station(world, weekly=ALWAYS)
    volunteer(world, s, username="duty")
    phone = phone_page
    login(phone, "duty")
    open_menu(phone, "驿站列表")
    phone.click("tr.station a")
    phone.wait_for_selector("#visit-form")
    for kind in ("rider", "rider", "courier"):
        phone.click(f"button.visit-button[data-kind={kind}]")
        phone.wait_for_selector("#visit-form")
    phone.fill("#visit-note", "送了一杯热水")
    phone.click("button.visit-button[data-kind=sanitation]")
    phone.wait_for_selector(".today-count[data-kind=sanitation]:text('1')")
    assert phone.inner_text(".today-count[data-kind=rider]") == "2"
    assert phone.inner_text(".today-count[data-kind=courier]") == "1"
    assert phone.inner_text("#counts-by-type td[data-kind=rider]") == "2"
    assert StationVisit.objects.filter(station=s).count() == 4
    assert StationVisit.objects.get(kind="sanitation").note == "送了一杯热水"
    # Every button is big enough to hit with a thumb, and the page fits the phone.
    for box in phone.locator("button.visit-button").all():
        assert box.bounding_box()["height"] >= 44
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "stations-1-visits-phone")


def test_public_map_lists_open_stations_and_takes_a_reflection(phone_page, page, world):
    cache.clear()  # no reflections counted against this address by an earlier test
    station(world, name="全天驿站", weekly=ALWAYS)
    closed = station(world, name="歇业驿站", weekly={})
    phone = phone_page
    phone.goto("/stations/")
    phone.wait_for_selector("#station-map[data-loaded='2']")
    assert (
        phone.locator("#station-list .station[data-open='1']").inner_text().startswith("全天驿站")
    )
    assert "已关闭" in phone.locator(f"#station-list .station[data-id='{closed.pk}']").inner_text()
    assert "现在 1 个驿站开放" in phone.inner_text("#open-count")
    screenshot(phone, "stations-2-public-map-phone")
    phone.click("text=全天驿站")
    phone.wait_for_selector("#station-status[data-open='1']")
    phone.fill("#id_text", "热水真暖和,谢谢志愿者!")
    phone.click("#reflection-form button[type=submit]")
    phone.wait_for_selector("text=审核后会展示")
    assert "热水真暖和" not in phone.inner_text("#reflections")  # held for approval

    login(page, "community")
    open_menu(page, "留言审核")
    page.click("button[data-act=approve]")
    page.wait_for_selector("text=没有待审核的留言")
    assert Reflection.objects.get().status == "approved"
    phone.reload()
    assert "热水真暖和" in phone.inner_text("#reflections")
    screenshot(phone, "stations-3-public-station-phone")
