"""Two problems in one request, in a real browser (issue #16): the dispatcher's case page
offers the split with both parts and their categories; one click makes two linked cases."""

import pytest

from genxi.cases import services
from genxi.cases.models import Case
from genxi.core.testing.browser import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TWO = "我家门口的垃圾桶好几天没人清了,苍蝇到处飞。另外单元楼的电梯坏了三天,老人上不了楼。"


def test_a_dispatcher_splits_a_request_with_two_problems(page, loop, suggester):
    case = services.case_create(
        actor=None, channel="phone", text=TWO, region=loop.grid_a1, reporter_name="王阿姨"
    )
    login(page, loop.users["community"].username)
    page.goto(case.get_absolute_url())
    panel = page.locator("#split-panel")
    assert "这条诉求可能包含两个问题" in panel.inner_text()
    parts = panel.locator(".split-part")
    assert parts.count() == 2
    assert [parts.nth(i).get_attribute("data-category") for i in range(2)] == ["ENV", "FAC"]
    assert "电梯" in parts.nth(1).inner_text() and "电梯" not in parts.nth(0).inner_text()
    screenshot(page, "case-split-offered")
    with page.expect_navigation():
        panel.locator("button[type=submit]").click()
    assert "已拆分为两件诉求" in page.inner_text("main")
    assert page.locator("#split-panel").count() == 0  # one problem left
    new = Case.objects.get(split_from=case)
    assert "电梯" in new.text and new.reporter_name == "王阿姨"
    case.refresh_from_db()
    assert "电梯" not in case.text
    # The original links to the new case (关联 · 拆分出), which links back (拆分自).
    with page.expect_navigation():
        page.click(f'a:has-text("{new.code}")')
    assert page.url.endswith(new.get_absolute_url())
    assert case.code in page.inner_text("main") and "拆分自" in page.inner_text("main")
    screenshot(page, "case-split-done")
