"""In a browser: a community worker on a phone finds a warning from the home page's count,
sees it on the map, is told a dismissal needs a reason, and turns it into a proactive
case; a street admin on a desk sees it on the list's map."""

import pytest

from genxi.alerts.models import EarlyWarning, WarningState
from genxi.cases.models import Case
from genxi.core.testing.browser import login, open_menu, screenshot

from .helpers import warning

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_community_worker_turns_a_warning_into_a_case_on_a_phone(phone_page, world):
    w = warning(staff=world.users["community"], community=world.a1, grid=world.grid_a1, tag="彩香")
    phone = phone_page
    login(phone, "community")
    phone.click("main a[href='/alerts/']")  # the workbench's count of open warnings
    phone.wait_for_selector("#warning-map[data-loaded='1']")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "alerts-1-list-phone")
    phone.click("tr.warning-row a")
    phone.wait_for_selector("#act-form")
    # dismissing without a reason: the reason is asked for on its field, nothing changes
    phone.click("#dismiss-form button")
    phone.wait_for_selector("[data-error-for=reason]")
    assert "请填写忽略的理由" in phone.inner_text("[data-error-for=reason]")
    assert EarlyWarning.objects.get(pk=w.pk).state == WarningState.OPEN
    screenshot(phone, "alerts-2-warning-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.click("#act-form button")
    phone.wait_for_url("**/cases/**")
    w.refresh_from_db()
    assert w.state == WarningState.ACTED and w.case.channel == "proactive"
    assert w.case.code in phone.content()
    screenshot(phone, "alerts-3-case-phone")
    assert Case.objects.filter(channel="proactive").count() == 1


def test_street_admin_sees_warnings_on_the_map(page, world):
    warning(staff=world.users["community"], community=world.a1, grid=world.grid_a1, tag="甲")
    warning(
        staff=world.users["community"],
        community=world.a2,
        grid=world.grid_a2,
        tag="乙",
        point=(31.323, 120.591),
    )
    login(page, "street")
    open_menu(page, "预警清单")
    page.wait_for_selector("#warning-map[data-loaded='2']")
    assert page.locator("tr.warning-row").count() == 2
    screenshot(page, "alerts-4-list-desk")
