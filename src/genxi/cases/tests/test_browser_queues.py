"""The queue and the case page in a real browser, on a desk and on a 390×844 phone: cards
instead of a table on the phone (and how tall the page is), a saved filter's round trip,
the handler's main step first, and 联系居民 → a call button."""

import pytest
from django.core.cache import cache

from genxi.cases import services
from genxi.cases.models import Case, CaseState
from genxi.core.models import AuditEvent, SavedFilter
from genxi.core.testing.browser import login, screenshot, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "13912345678"
PHONE_PAGE_BOUND = 3500  # px for 20 cases: about 2,800 as cards (the old table: about 7,000)


def _cases(world, n, **update):
    made = []
    for i in range(n):
        grid = world.grid_a1 if i % 2 else world.grid_a1b
        case = services.case_create(
            actor=world.users["street"],
            channel="phone",
            text=f"第{i + 1}件:彩香新村5幢楼道里堆满了纸板和旧家具,走路都不方便",
            region=grid,
            reporter_contact=PHONE,
        )
        if update:
            Case.objects.filter(pk=case.pk).update(**update)
        made.append(case)
    return made


def test_queue_cards_on_a_phone_and_a_table_on_a_desk(page, phone_page, loop):
    cases = _cases(loop, 20)
    Case.objects.filter(pk=cases[0].pk).update(flagged=True)  # 督办: first while open
    login(phone_page, "community")
    phone_page.goto("/cases/?queue=all")
    cards = phone_page.locator("#case-cards .case-card")
    assert cards.count() == 20
    assert not phone_page.locator("#case-table").is_visible()
    assert cards.first.get_attribute("data-code") == cases[0].code
    assert "彩香一村社区 · 第" in cards.nth(1).inner_text()
    height = phone_page.evaluate("document.documentElement.scrollHeight")
    assert height < PHONE_PAGE_BOUND, height
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 391
    screenshot(phone_page, "queue-phone-cards")

    login(page, "street")
    page.goto("/cases/")
    assert page.locator("#case-table").is_visible()
    assert not page.locator("#case-cards").is_visible()
    assert page.locator("#case-table tbody tr").count() == 20
    screenshot(page, "queue-desk")


def test_a_saved_filter_round_trip(page, loop):
    _cases(loop, 2)
    login(page, "community")
    page.goto("/cases/")
    # Pick a grid (the picker, not a typed code): htmx swaps the rows.
    page.select_option("select[name=region]", loop.grid_a1b.code)
    page.wait_for_url(f"**region={loop.grid_a1b.code}**")
    wait_until(page, "document.querySelector('#saved-query').value.includes('region=')")
    page.click("#saved-filters summary")
    page.fill("#saved-filters input[name=name]", "二网格")
    page.click("#saved-filters button[type=submit]:has-text('保存')")
    chip = page.locator('.saved-filter[data-name="二网格"] a')
    chip.wait_for()
    saved = SavedFilter.objects.get(owner=loop.users["community"])
    assert saved.query == f"queue=all&region={loop.grid_a1b.code}"
    page.goto("/cases/")
    page.click('.saved-filter[data-name="二网格"] a')
    page.wait_for_url(f"**region={loop.grid_a1b.code}**")
    assert page.locator("#case-table tbody tr").count() == 1
    assert page.input_value("select[name=region]") == loop.grid_a1b.code
    screenshot(page, "queue-saved-filter")
    page.click('.saved-filter[data-name="二网格"] button')
    page.locator('.saved-filter[data-name="二网格"]').wait_for(state="detached")
    assert not SavedFilter.objects.exists()


def test_the_handler_resolves_first_and_calls_the_reporter_on_a_phone(phone_page, loop):
    cache.clear()
    (case,) = _cases(loop, 1, state=CaseState.IN_PROGRESS, handler=loop.users["grid"])
    Case.objects.filter(pk=case.pk).update(lat=31.321, lon=120.591)
    login(phone_page, "grid")
    phone_page.goto(case.get_absolute_url())
    resolve = phone_page.locator("form[data-action=resolve]")
    timeline = phone_page.locator("#timeline")
    assert resolve.bounding_box()["y"] < phone_page.locator("#case-map").bounding_box()["y"]
    assert resolve.bounding_box()["y"] < timeline.bounding_box()["y"]
    assert resolve.bounding_box()["y"] < 844  # on the first screen
    screenshot(phone_page, "case-phone-primary")

    phone_page.click("#contact summary")
    phone_page.fill("#contact input[name=reason]", "上门前电话确认地址")
    phone_page.click("#contact button[type=submit]")
    call = phone_page.locator("#call-reporter")
    call.wait_for()
    assert call.get_attribute("href") == f"tel:{PHONE}"
    assert AuditEvent.objects.filter(verb="case.contact_reveal").count() == 1
    screenshot(phone_page, "case-phone-call")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 391


def test_the_case_page_on_a_desk_keeps_its_side_column(page, loop):
    (case,) = _cases(loop, 1, state=CaseState.IN_PROGRESS, handler=loop.users["grid"])
    login(page, "grid")
    page.goto(case.get_absolute_url())
    resolve = page.locator("form[data-action=resolve]").bounding_box()
    summary = page.locator(".case-summary").bounding_box()
    assert resolve["x"] > summary["x"] + summary["width"] - 1  # to the right of the case
    assert page.locator("#contact summary").is_visible()
