"""The workbench in a real browser (issue #10): each role's home shows its own work as
counts that link to the lists behind them, on a desk and on a 390×844 phone."""

import pytest

from genxi.cases import services
from genxi.core.testing.browser import login, screenshot
from genxi.core.workbench import work_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _work(loop):
    """A new case (待受理 for the community) and one dispatched to the grid worker
    (我的待办)."""
    community, grid = loop.users["community"], loop.users["grid"]
    services.case_create(actor=None, channel="phone", text="楼道里堆满了杂物", region=loop.grid_a1)
    held = services.case_create(
        actor=None, channel="phone", text="小区路灯不亮晚上很黑", region=loop.grid_a1
    )
    services.case_act(actor=community, case=held, action="accept")
    services.case_act(actor=community, case=held, action="dispatch", handler=grid)


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_each_role_sees_its_own_work_and_reaches_the_list(request, device, loop):
    _work(loop)
    page = request.getfixturevalue(device)
    seen = {}
    for role in ("street", "community", "grid", "unit"):
        user = loop.users[role]
        expected = {w.key: (w.count, w.url) for w in work_for(user)}
        page.context.clear_cookies()
        login(page, user.username)
        items = page.locator("#workbench .work-item")
        shown = {
            items.nth(i).get_attribute("data-key"): (
                int(items.nth(i).locator(".fs-3").inner_text()),
                items.nth(i).get_attribute("href"),
            )
            for i in range(items.count())
        }
        assert shown == expected, role  # the viewer's own area, not street-wide totals
        assert "请从上方菜单进入您的工作" not in page.inner_text("main")
        assert (
            page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 1
        )
        seen[role] = shown
        screenshot(page, f"workbench-{role}-{device}")
        busy = next((key for key, (count, _) in shown.items() if count), None)
        if busy:  # a count links to its list, which answers
            with page.expect_navigation():
                page.click(f'#workbench .work-item[data-key="{busy}"]')
            assert page.url.endswith(shown[busy][1])
            assert "404" not in page.title()
    # The community has a case to accept, the grid worker one to do; the street, whose
    # communities accept their own, has no escalated case waiting.
    assert seen["community"]["cases.to_accept"][0] == 1
    assert seen["grid"]["cases.mine"][0] == 1
    assert seen["street"]["cases.escalated"][0] == 0
    # The grid worker's own place is named in full on its home, not "第1网格" alone.
    page.context.clear_cookies()
    login(page, loop.users["grid"].username)
    assert loop.grid_a1.full_name in page.inner_text("main")
