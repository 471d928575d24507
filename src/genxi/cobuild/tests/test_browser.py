"""In a browser: a community posts a need, a unit claims it, the community approves, the
delivery is recorded."""

import pytest

from genxi.cobuild import services
from genxi.cobuild.models import Claim, ClaimStatus, Need
from genxi.core.testing.browser import login, open_menu, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_need_claim_approve_deliver(page, world, chromium, live_server):
    login(page, "community")
    open_menu(page, "需求清单")
    form = page.locator("#need-form")
    form.locator("input[name=title]").fill("周末助老志愿服务")
    form.locator("select[name=kind]").select_option("volunteers")
    form.locator("input[name=quantity]").fill("20")
    form.locator("input[name=unit_label]").fill("志愿小时")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#need-status[data-status=open]")
    need = Need.objects.get(title="周末助老志愿服务")

    unit_context = chromium.new_context(base_url=live_server.url, locale="zh-CN")
    unit_page = unit_context.new_page()
    login(unit_page, "unitliaison")
    open_menu(unit_page, "需求清单")
    unit_page.click("text=周末助老志愿服务")
    unit_page.fill("#claim-form input[name=quantity]", "12")
    unit_page.click("#claim-form button[type=submit]")
    unit_page.wait_for_selector("tr.claim[data-status=pending]")
    screenshot(unit_page, "cobuild-1-claimed")

    page.reload()
    page.click("button[data-act=approve]")
    page.wait_for_selector("tr.claim[data-status=approved]")
    assert "已认领 12 志愿小时,共需 20 志愿小时" in page.inner_text("#need-progress")
    screenshot(page, "cobuild-2-approved")

    unit_page.reload()
    unit_page.fill(".deliver-form input[name=amount]", "12")
    unit_page.fill(".deliver-form input[name=beneficiaries]", "40")
    unit_page.click(".deliver-form button[type=submit]")
    unit_page.wait_for_selector("tr.claim[data-status=delivered]")
    claim = Claim.objects.get(need=need)
    assert claim.status == ClaimStatus.DELIVERED and claim.beneficiaries_served == 40
    unit_page.wait_for_load_state("networkidle")
    unit_context.close()


def test_a_long_project_title_wraps_on_a_phone(phone_page, world):
    """A title with a long unbroken word (a code, a web address) wraps: the page is no
    wider than the phone."""
    project = services.project_create(
        actor=world.users["community"],
        community=world.a1,
        title="楼道微更新" + "ABCDEFGHIJ" * 9,
        goal="改善楼道",
    )
    phone = phone_page
    login(phone, "community")
    phone.goto(project.get_absolute_url())
    phone.wait_for_selector("#project-status")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
