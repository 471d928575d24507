"""In a browser: a street admin plans a campaign through the menu and starts it; a
community worker on a phone (390×844) records its community's outputs (a bad count is
said on its field first); the street admin finds 为民服务统计 in the menu and sees the
section's charts drawn, on a desktop and on a phone."""

import pytest

from genxi.campaigns.models import Campaign, Handout, Status
from genxi.core.testing.browser import login, open_menu, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _warm(page) -> None:
    """The live server's first page builds the URL map and templates: on a loaded machine
    that alone may pass the 15 s navigation timeout."""
    page.goto("/accounts/login/", timeout=90_000)


def test_a_street_admin_plans_and_a_community_worker_records(page, phone_page, world):
    _warm(page)
    login(page, "street")
    open_menu(page, "主题宣传")
    page.click("#campaign-new")
    page.wait_for_selector("#campaign-form")
    page.select_option("#id_topic", "fundraising")
    page.fill("#id_title", "防范非法集资宣传月")
    page.fill("#id_starts_on", "2026-11-01")
    page.fill("#id_ends_on", "2026-11-30")
    page.check("#id_channels_1")  # 入户, beside 现场 (checked by default)
    screenshot(page, "campaigns-1-new-desk")
    page.click("#campaign-form button[type=submit]")
    page.wait_for_selector("#campaign-status:text('计划中')")
    page.click("#campaign-start")
    page.wait_for_selector("#campaign-status:text('进行中')")
    made = Campaign.objects.get()
    assert made.status == Status.RUNNING and made.channels == ["onsite", "door"]
    assert made.parts.count() == 2  # both communities of the street, chosen by default

    phone = phone_page
    login(phone, "community")
    open_menu(phone, "主题宣传")
    phone.click("text=防范非法集资宣传月")
    phone.click(".record-link")
    phone.wait_for_selector("#record-form")
    phone.fill("#id_consultations", "12")
    phone.fill("#id_reached_onsite", "80")
    phone.fill("#id_h0_kind", "宣传单")
    phone.fill("#id_h0_unit", "份")
    phone.fill("#id_h0_count", "0")  # not a count: said on its field
    phone.click("#record-form button[type=submit]")
    phone.wait_for_selector("[data-error-for='h0_count']")
    assert not Handout.objects.exists()
    phone.fill("#id_h0_count", "230")
    phone.fill("#id_h1_kind", "围巾")
    phone.fill("#id_h1_count", "20")
    screenshot(phone, "campaigns-2-record-phone")
    phone.click("#record-form button[type=submit]")
    phone.wait_for_selector("#totals")
    assert phone.inner_text("#total-handed") == "250"
    assert phone.inner_text("#total-consultations") == "12"
    # Only its own community's row is on its page.
    assert phone.locator("tr.part").count() == 1
    screenshot(phone, "campaigns-3-campaign-phone")

    page.reload()
    assert page.inner_text("#total-handed") == "250"
    assert page.locator("tr.part").count() == 2
    screenshot(page, "campaigns-4-campaign-desk")


def test_the_service_statistics_section_draws_its_charts(page, phone_page, world):
    from .helpers import campaign, record

    made = campaign(world, start=True, starts_on=_today(), ends_on=_today())
    record(world, made, world.a1, leaflets=120, consultations=12)
    record(world, made, world.a2, leaflets=90, consultations=9)
    _warm(page)
    for p, name in ((page, "desk"), (phone_page, "phone")):
        login(p, "street")
        open_menu(p, "为民服务统计")
        p.wait_for_selector("#services")
        p.wait_for_selector("[data-chart='campaigns.channels'] svg")
        figures = p.inner_text("[data-panel='campaigns.figures']")
        assert "230" in figures and "21" in figures  # 210 leaflets and 20 scarves
        assert p.locator("[data-panel='campaigns.communities'] tbody tr").count() == 2
        p.locator("#services").scroll_into_view_if_needed()
        screenshot(p, f"campaigns-5-dashboard-{name}")


def _today():
    from django.utils import timezone

    return timezone.localdate()
