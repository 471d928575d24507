"""Saved filters on the residents' list (a phone, 390×844) and the pioneers' (a desk), in a
real browser: pick filters, save them, follow the chip, delete it."""

import pytest

from genxi.core.models import SavedFilter
from genxi.core.testing.browser import login, screenshot, wait_until
from genxi.people.models import PioneerKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _save_follow_delete(page, url: str, name: str) -> None:
    page.click("#saved-filters summary")
    page.fill("#saved-filters input[name=name]", name)
    page.click("#saved-filters button[type=submit]:has-text('保存')")
    page.locator(f'.saved-filter[data-name="{name}"] a').wait_for()
    page.goto(url)
    page.click(f'.saved-filter[data-name="{name}"] a')


def test_residents_saved_filter_on_a_phone(phone_page, world):
    world.resident(world.grid_a1, "王秀英", tags=["elderly_alone"])
    world.resident(world.grid_a1, "钱桂兰")
    login(phone_page, "community")
    phone_page.goto("/people/residents/")
    phone_page.select_option("select[name=tag]", "elderly_alone")
    phone_page.wait_for_url("**tag=elderly_alone**")
    wait_until(phone_page, "document.querySelector('#saved-query').value.includes('tag=')")
    _save_follow_delete(phone_page, "/people/residents/", "独居")
    assert SavedFilter.objects.get().query == "tag=elderly_alone"
    phone_page.wait_for_url("**tag=elderly_alone**")
    phone_page.wait_for_selector("text=王秀英 >> visible=true")
    assert phone_page.locator("text=钱桂兰 >> visible=true").count() == 0
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone_page, "residents-saved-filter-phone")
    phone_page.click('.saved-filter[data-name="独居"] button')
    phone_page.locator('.saved-filter[data-name="独居"]').wait_for(state="detached")
    assert not SavedFilter.objects.exists()


def test_pioneers_saved_filter_on_a_desk(page, world):
    world.pioneer(world.grid_a1, "P-101", "张红梅", kind=PioneerKind.GRID_WORKER)
    world.pioneer(world.grid_a1, "P-102", "李建国")
    login(page, "community")
    page.goto("/people/pioneers/")
    page.select_option("select[name=kind]", PioneerKind.GRID_WORKER)
    page.wait_for_url("**kind=grid_worker**")
    wait_until(page, "document.querySelector('#saved-query').value.includes('kind=')")
    _save_follow_delete(page, "/people/pioneers/", "网格员")
    page.wait_for_url("**kind=grid_worker**")
    page.wait_for_selector("text=张红梅 >> visible=true")
    assert page.locator("text=李建国 >> visible=true").count() == 0
    assert page.input_value("select[name=kind]") == PioneerKind.GRID_WORKER
    screenshot(page, "pioneers-saved-filter-desk")
