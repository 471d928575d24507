"""The resident's entry in a real browser, on a desktop and on a 390×844 phone: finding one's
grid by address as people write it (the gazetteer's spellings, a bare building number that
asks which estate, a misspelling that gets 您要找的是不是…), the grid's service phone with
its call button, and report → confirmation → track → rate."""

import pytest
from django.core.cache import cache

from genxi.cases import routing, services
from genxi.cases.models import Case
from genxi.core.testing.browser import login, open_menu, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENS = ["page", "phone_page"]


def _gazetteer(world):
    cache.clear()
    routing.model_memo.clear()
    world.building(world.grid_a1, "彩香一村花园", "4", "5", aliases=["彩香一村"])
    world.building(world.grid_a1b, "彩香新村", "4", "25")
    world.building(world.grid_a2, "彩香二村", "4")
    world.grid_a1b.service_phone, world.grid_a1b.service_hours = (
        "0512-65310002",
        "工作日 8:30-17:30",
    )
    world.grid_a1b.save()


def _find(page, typed):
    page.fill("#id_address", typed)
    page.click("form[role=search] button[type=submit]")
    page.wait_for_load_state()


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 1


@pytest.mark.parametrize("screen", SCREENS)
def test_find_my_grid_by_address(request, screen, loop):
    page = request.getfixturevalue(screen)
    _gazetteer(loop)
    page.goto("/s/")
    # The placeholder's own example, written with full-width digits and 号楼.
    _find(page, "彩香新村２５号楼")
    assert "彩香一村社区 · 第2网格" in page.inner_text("#grid-result h2")
    assert page.inner_text("#found-place") == "彩香新村25幢"
    call = page.locator("#service-phone a[href^='tel:']")
    assert call.get_attribute("href") == "tel:051265310002" and call.is_visible()
    _fits(page)
    screenshot(page, f"entry-find-found-{screen}")

    # A bare building number: which estate?
    _find(page, "4幢")
    assert page.get_attribute("#find-question", "data-status") == "which_estate"
    labels = page.locator("#find-question .choice").all_inner_texts()
    assert len(labels) == 3 and any("彩香二村社区" in label for label in labels)
    screenshot(page, f"entry-find-which-estate-{screen}")
    page.locator("#find-question .choice", has_text="彩香一村花园4幢").click()
    page.wait_for_selector("#grid-result")
    assert "彩香一村社区 · 第1网格" in page.inner_text("#grid-result h2")

    # A misspelled estate: 您要找的是不是…
    _find(page, "彩香三村4栋")
    assert "您要找的是不是" in page.inner_text("#find-question")
    screenshot(page, f"entry-find-suggest-{screen}")
    page.locator("#find-question .choice", has_text="彩香二村4幢").click()
    page.wait_for_selector("#grid-result")
    assert "彩香二村社区 · 第1网格" in page.inner_text("#grid-result h2")

    _find(page, "火星基地")
    assert "没有找到这个地址" in page.inner_text("#find-error")


@pytest.mark.parametrize("screen", SCREENS)
def test_report_confirm_track_and_rate(request, screen, loop):
    page = request.getfixturevalue(screen)
    _gazetteer(loop)
    page.goto("/s/report/")
    page.fill("#id_text", "彩香新村25幢门口的路灯不亮了,晚上出门看不清")
    page.fill("#id_address", "彩香新村25栋")
    page.click("main button[type=submit]")
    page.wait_for_selector("#confirmation")
    case = Case.objects.get(code=page.inner_text("#tracking-code"))
    assert case.region == loop.grid_a1b and case.place_key == "彩香新村25幢"
    assert "路灯不亮" in page.inner_text("#report-summary")
    assert "前受理" in page.inner_text("#respond-by")
    assert page.locator("#next-steps li").count() == 4
    assert page.get_attribute("#service-phone a", "href") == "tel:051265310002"
    link = page.input_value("#track-link")
    assert case.code in link and "key=" in link
    _fits(page)
    screenshot(page, f"entry-confirmation-{screen}")

    for who, action, fields in [
        ("community", "accept", {}),
        ("community", "dispatch", {"handler": loop.users["grid"]}),
        ("grid", "take", {}),
        ("grid", "resolve", {"result": "已更换路灯灯泡"}),
        ("community", "verify", {}),
    ]:
        services.case_act(actor=loop.users[who], case=case, action=action, **fields)

    # Later, the saved link: the page is the tracking page, not the confirmation.
    page.context.clear_cookies()
    page.goto(link)
    assert page.locator("#confirmation").count() == 0
    assert page.locator("#report-summary").count() == 0  # the text needs this browser's report
    choice = page.locator(".rating-choices label", has_text="基本满意")
    before = choice.evaluate("e => getComputedStyle(e).backgroundColor")
    choice.click()
    assert page.locator("input[name=rating][value=basically]").is_checked()
    page.wait_for_timeout(400)  # Bootstrap's colour transition
    after = choice.evaluate("e => getComputedStyle(e).backgroundColor")
    assert before != after  # the choice can be seen
    page.fill("#id_comment", "修得很快")
    screenshot(page, f"entry-rate-{screen}")
    page.click("#rate-form button[type=submit]")
    page.wait_for_selector("#rated")
    case.refresh_from_db()
    assert case.rating == "basically" and case.rating_comment == "修得很快"


@pytest.mark.parametrize("screen", SCREENS)
def test_the_community_keeps_its_gazetteer(request, screen, loop):
    page = request.getfixturevalue(screen)
    _gazetteer(loop)
    login(page, "community")
    open_menu(page, "地址库")
    page.wait_for_selector("#estate-new")
    page.fill("#estate-new input[name=name]", "彩香坊")
    page.fill("#estate-new input[name=numbers]", "1-6")
    page.select_option("#estate-new select[name=grid]", label="第2网格")
    page.click("#estate-new button[type=submit]")
    page.wait_for_selector("text=已添加小区")
    assert "1-6" in page.inner_text("main")
    page.fill("#id_q", "彩香坊3号楼")
    page.click("#try-address button")
    assert page.get_attribute("#try-result", "data-status") == "found"
    _fits(page)
    screenshot(page, f"entry-gazetteer-{screen}")
