"""In a browser: a duty volunteer on a phone logs visitors with one tap each and sees the
counts; a passer-by's phone finds the open stations on the public map and leaves a
reflection, which the volunteer approves."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from genxi.core.testing.browser import login, open_menu, screenshot
from genxi.stations import services
from genxi.stations.domain.hours import parse_day
from genxi.stations.models import BookLoan, Reflection, StationVisit

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


def test_duty_volunteer_on_a_phone_logs_visits_and_lends_a_book(phone_page, world):
    """A rider comes in, then asks to borrow a book: the volunteer taps 外卖骑手, opens 图书借阅,
    picks the book, types the borrower and lends it; the loan shows with its due date, and
    the phone number is masked. The roster and the medicine box fit the phone too."""
    s = station(world, weekly=ALWAYS)
    duty = volunteer(world, s, username="duty")
    services.book_add(actor=duty, station=s, title="平凡的世界", author="路遥", copies=1)
    services.book_add(actor=duty, station=s, title="活着", author="余华", copies=1)
    services.medicine_add(
        actor=duty,
        station=s,
        name="创可贴",
        unit="片",
        expiry=timezone.localdate() + timedelta(days=10),
        quantity=8,
    )
    services.duty_pattern_set(
        actor=world.users["community"],
        station=s,
        weekly={d: parse_day("08:00-20:00") for d in range(7)},
    )
    phone = phone_page
    login(phone, "duty")
    open_menu(phone, "驿站列表")
    phone.click("tr.station a")
    phone.click("button.visit-button[data-kind=rider]")
    phone.wait_for_selector(".today-count[data-kind=rider]:text('1')")

    phone.click("#tab-books")
    phone.wait_for_selector("#lend-form")
    phone.select_option("#lend-copy", label="平凡的世界 · 第1册")
    phone.fill("#lend-borrower", "王师傅")
    phone.fill("#lend-contact", "13912345678")
    phone.click("#lend-form button[type=submit]")
    phone.wait_for_selector("#loans .loan")
    loan = BookLoan.objects.get()
    assert loan.borrower == "王师傅" and loan.copy.book.title == "平凡的世界"
    text = phone.inner_text("#loans")
    assert "王师傅" in text and "13912345678" not in text
    assert phone.inner_text("[data-count=on_loan]") == "1"
    # The book lent is no longer offered; a bad number is refused on its field.
    assert "平凡的世界" not in phone.inner_text("#lend-copy")
    phone.fill("#lend-borrower", "李阿姨")
    phone.fill("#lend-contact", "12345")
    phone.click("#lend-form button[type=submit]")
    phone.wait_for_selector("[data-error-for=contact]")
    assert BookLoan.objects.count() == 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "stations-4-books-phone")

    phone.click("#loans button[data-act=return]")
    phone.wait_for_selector("text=没有借出的图书")
    assert BookLoan.objects.get().returned_at is not None

    phone.click("#tab-medicine")
    phone.wait_for_selector("#issue-form")
    phone.fill("#issue-quantity", "2")
    phone.click("#issue-form button[type=submit]")
    phone.wait_for_selector("#moves .move[data-kind=out]")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "stations-5-medicine-phone")

    phone.click("#tab-roster")
    phone.click("#roster .shift[data-taken='0'] button[data-act=take]")
    phone.wait_for_selector("#roster .shift[data-taken='1']")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "stations-6-roster-phone")
