"""The loop as people live it, in a real browser: a resident reports through the public page
and tracks it; a dispatcher routes it; a grid worker resolves it on a phone; the resident
rates it."""

import pytest
from django.core.cache import cache
from PIL import Image

from genxi.cases import services
from genxi.cases.models import Case, CaseState
from genxi.core.testing.browser import login, open_menu, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_report_route_resolve_rate(
    page, phone_page, loop, suggester, tmp_path, chromium, live_server
):
    cache.clear()
    # 1. A resident reports on the public page, picking the place on the map.
    page.goto("/s/report/")
    page.fill("#id_text", "彩香新村5幢楼道里堆满了纸板和旧家具,走路都不方便")
    page.wait_for_selector("#pick-map[data-loaded]")
    page.locator("#pick-map path.leaflet-interactive").first.click()
    assert page.input_value("#id_lat") != ""
    page.fill("#id_reporter_contact", "13912345678")
    screenshot(page, "loop-1-report")
    page.click("main button[type=submit]")
    page.wait_for_selector("#tracking-code")
    code = page.inner_text("#tracking-code")
    key = page.inner_text("#reporter-key strong")  # the reporter's secret, shown this once
    link = page.url
    assert key and key in link and key not in code
    assert page.get_attribute("#public-state", "data-state") == "submitted"
    case = Case.objects.get(code=code)
    assert case.channel == "public_form" and case.region.level == "grid"
    # ... and tracks it later by its code.
    page.goto("/s/track/")
    page.fill("input[name=code]", code.lower())
    page.click("main button[type=submit]")
    page.wait_for_selector("#tracking-code")
    assert "13912345678" not in page.content()

    # 2. The dispatcher accepts it with the suggested category and dispatches it.
    staff = chromium.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1366, "height": 900}
    )
    desk = staff.new_page()
    login(desk, "community")
    open_menu(desk, "诉求")
    desk.click(f"text={code}")
    desk.click("form[data-action=accept] button")
    desk.wait_for_selector("form[data-action=dispatch]")
    handler = desk.locator("form[data-action=dispatch] select[name=handler]")
    assert handler.input_value() == str(loop.users["grid"].pk)  # the router's suggestion
    screenshot(desk, "loop-2-dispatch")
    desk.click("form[data-action=dispatch] button")
    desk.wait_for_selector("#case-state[data-state=dispatched]")
    case.refresh_from_db()
    assert case.category.top_code == "ENV" and case.handler == loop.users["grid"]

    # 3. The grid worker takes and resolves it on a phone, with a photo.
    photo = tmp_path / "done.jpg"
    Image.new("RGB", (640, 480), (90, 160, 90)).save(photo, "JPEG")
    phone = phone_page
    login(phone, "grid")
    open_menu(phone, "我的任务")
    phone.click(f'.task[data-code="{code}"] a.btn')
    phone.click("form[data-action=take] button")
    phone.wait_for_selector("form[data-action=resolve]")
    phone.fill("form[data-action=resolve] textarea[name=result]", "已联系物业把纸板和旧家具清走")
    phone.set_input_files("form[data-action=resolve] input[name=photos]", str(photo))
    screenshot(phone, "loop-3-resolve-phone")
    phone.click("form[data-action=resolve] button")
    phone.wait_for_selector("#case-state[data-state=resolved]")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 391
    case.refresh_from_db()
    assert case.photos.filter(kind="evidence").count() == 1

    # The community checks it on site.
    services.case_act(actor=loop.users["community"], case=case, action="verify")

    # 4. The resident rates the outcome on the tracking page.
    page.goto(link)  # the confirmation's link, with the secret
    assert "已联系物业把纸板和旧家具清走" in page.content()
    # The choices are toggle buttons: a person taps the word (the radio sits under it).
    page.click("label[for=id_rating_0]")
    assert page.locator("input[name=rating][value=satisfied]").is_checked()
    page.fill("input[name=comment]", "处理得很快,谢谢")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=感谢您的评价")
    screenshot(page, "loop-4-rated")
    case.refresh_from_db()
    assert case.rating == "satisfied" and case.state == CaseState.VERIFIED
    desk.wait_for_load_state("networkidle")
    staff.close()


def test_a_refused_resolve_shows_the_error_beside_the_field_on_a_phone(phone_page, loop):
    """A grid worker sends a resolve with nothing but spaces: the case page comes back
    (400) with the message under the result box, in view on a 390×844 phone, and nothing
    is written; then the real result goes through."""
    case = services.case_create(
        actor=None, channel="phone", text="彩香新村5幢楼道里堆满了杂物", region=loop.grid_a1
    )
    community, grid = loop.users["community"], loop.users["grid"]
    services.case_act(actor=community, case=case, action="accept")
    services.case_act(actor=community, case=case, action="dispatch", handler=grid)
    services.case_act(actor=grid, case=case, action="take")
    events = case.events.count()
    phone = phone_page
    login(phone, "grid")
    open_menu(phone, "我的任务")
    phone.click(f'.task[data-code="{case.code}"] a.btn')
    form = phone.locator("form[data-action=resolve]")
    form.locator("textarea[name=result]").fill("   ")  # passes `required`, not the server
    with phone.expect_response(lambda r: r.request.method == "POST") as answer:
        form.locator("button").click()
    assert answer.value.status == 400
    message = phone.locator("form[data-action=resolve] [data-error-for=result]")
    message.wait_for()
    assert message.inner_text() == "请填写处置结果。"
    # Both boxes read in one frame: the page may still be scrolling to the focused field.
    box, under = phone.evaluate(
        """() => {
          const form = document.querySelector("form[data-action=resolve]");
          const rect = (el) => { const r = el.getBoundingClientRect();
            return {x: r.x, y: r.y, width: r.width, height: r.height}; };
          return [rect(form.querySelector("textarea[name=result]")),
                  rect(form.querySelector("[data-error-for=result]"))];
        }"""
    )
    assert 0 <= under["y"] - (box["y"] + box["height"]) < 40  # right under the box
    assert under["x"] >= 0 and under["x"] + under["width"] <= 390
    assert phone.evaluate("document.documentElement.scrollWidth") <= 391
    # The box is marked and focused, so the phone has scrolled to it.
    assert phone.evaluate("document.activeElement.name") == "result"
    assert message.is_visible() and message.evaluate(
        "e => e.getBoundingClientRect().bottom <= window.innerHeight"
    )
    assert "is-invalid" in (form.locator("textarea").get_attribute("class") or "")
    assert phone.locator(".alert-danger, .alert-error").count() == 0  # no flash message
    screenshot(phone, "loop-resolve-refused-phone")
    case.refresh_from_db()
    assert case.state == CaseState.IN_PROGRESS and case.events.count() == events
    # Corrected, it goes through.
    phone.fill("form[data-action=resolve] textarea[name=result]", "已联系物业清走杂物")
    phone.click("form[data-action=resolve] button")
    phone.wait_for_selector("#case-state[data-state=resolved]")
    assert phone.locator(".alert-success").count() == 1
