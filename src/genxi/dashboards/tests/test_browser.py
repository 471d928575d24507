"""The street dashboard in a browser, on a desk and on a 390×844 phone: its charts are
drawn, and the leader drills down from the street to a community, to a grid, and to the
list of cases behind a figure."""

import pytest

from genxi.core.testing.browser import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_the_street_dashboard_drills_down_to_the_cases(request, device, cases):
    w = cases
    page = request.getfixturevalue(device)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    login(page, w.users["street"].username)
    page.goto("/dashboards/")
    page.wait_for_selector('[data-chart="cases.volume"][data-drawn]')
    assert w.street_a.name in page.inner_text("h1")
    for key in ("cases.volume", "cases.categories", "cases.channels", "cases.levels"):
        assert page.locator(f'[data-chart="{key}"] svg').count() == 1, key
    assert page.locator('[data-chart="cases.density"][data-loaded]').count() == 1
    ranking = page.locator('[data-panel="cases.ranking"] tbody tr')
    assert ranking.count() == 2  # street A's two communities, nothing of street B
    assert w.street_b.name not in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 1
    screenshot(page, f"dashboard-street-{device}")
    # Street → community (its row in the ranking) → grid (the drill-down links).
    page.locator('[data-panel="cases.ranking"]').get_by_role("link", name=w.a1.name).click()
    page.wait_for_selector('[data-chart="cases.volume"][data-drawn]')
    assert w.a1.name in page.inner_text("h1")
    page.locator("[data-drill]").get_by_role("link", name=w.grid_a1.name).click()
    page.wait_for_selector('[data-chart="cases.volume"][data-drawn]')
    assert w.grid_a1.name in page.inner_text("h1")
    screenshot(page, f"dashboard-grid-{device}")
    # The grid's cases received in the period: the queue, filtered to them.
    page.locator('[data-panel="cases.headline"] a').first.click()
    page.wait_for_url("**/cases/?**")
    assert page.locator("[data-received]").count() == 1
    listed = page.inner_text("main")
    for case in w.objs["cases"]:
        assert (case.code in listed) == (case.region_id == w.grid_a1.pk), case.code
    assert not errors
