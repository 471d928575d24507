"""In a browser, on a desktop and on a 390×844 phone: a community worker proposes a
suggested match to a unit; the unit's liaison finds it on the workbench and confirms it
(the community then sees the approved claim), or declines it with a reason the community
reads. And a community turns a claim down, saying why; the unit reads it."""

import pytest

from genxi.cobuild import services
from genxi.cobuild.models import Claim, ClaimStatus, Resource
from genxi.core.testing.browser import login, open_menu, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {
    "desktop": {"viewport": {"width": 1366, "height": 900}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
}


def _suggestion(world):
    need = services.need_create(
        actor=world.users["community"],
        community=world.a1,
        title="周末助老志愿服务",
        kind="volunteers",
        quantity=10,
        unit_label="志愿小时",
        description="助老 志愿者",
    )
    Resource.objects.create(
        unit=world.objs["unit_a"],
        kind="volunteers",
        description="助老志愿者服务队",
        capacity=6,
        unit_label="次",
    )
    return need


def _context(chromium, live_server, device):
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN", **VIEWPORTS[device])
    context.set_default_timeout(15_000)
    return context, context.new_page()


def _close(*contexts):
    for context in contexts:
        for open_page in context.pages:
            open_page.wait_for_load_state("networkidle")
        context.close()


def _propose(page):
    login(page, "community")
    open_menu(page, "匹配")
    row = page.locator("tr.suggestion", has_text="周末助老志愿服务")
    row.locator("button", has_text="提议给单位").click()
    page.wait_for_selector("#proposals tr.proposal[data-status=proposed]")
    assert "甲共建单位" in page.inner_text("#proposals")


def _fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1, "the page should not scroll sideways"


@pytest.mark.parametrize("device", sorted(VIEWPORTS))
def test_liaison_confirms_a_proposed_match(world, chromium, live_server, device):
    need = _suggestion(world)
    staff_context, staff = _context(chromium, live_server, device)
    _propose(staff)
    claim = Claim.objects.get(need=need)
    assert claim.status == ClaimStatus.PROPOSED

    unit_context, unit = _context(chromium, live_server, device)
    login(unit, "unitliaison")
    item = unit.locator('#workbench a[data-key="cobuild.proposals"]')
    assert "待确认的对接" in item.inner_text() and "1" in item.inner_text()
    item.click()
    proposal = unit.locator(f"#proposal-{claim.pk}")
    proposal.wait_for()
    assert "周末助老志愿服务" in proposal.inner_text()
    _fits(unit)
    screenshot(unit, f"proposal-1-to-confirm-{device}")
    proposal.locator("button[data-act=confirm]").click()
    unit.wait_for_selector("text=已确认对接")
    assert unit.locator(".proposal").count() == 0 or "没有待确认的对接" in unit.inner_text(
        "#proposals"
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED

    staff.goto(f"/cobuild/needs/{need.pk}/")
    staff.wait_for_selector("tr.claim[data-status=approved]")
    assert "已认领 6 志愿小时" in staff.inner_text("#need-progress")
    _fits(staff)
    screenshot(staff, f"proposal-2-confirmed-{device}")
    _close(unit_context, staff_context)


@pytest.mark.parametrize("device", sorted(VIEWPORTS))
def test_liaison_declines_with_a_reason(world, chromium, live_server, device):
    need = _suggestion(world)
    staff_context, staff = _context(chromium, live_server, device)
    _propose(staff)
    claim = Claim.objects.get(need=need)

    unit_context, unit = _context(chromium, live_server, device)
    login(unit, "unitliaison")
    open_menu(unit, "需求清单")
    unit.click("#proposals-waiting a")  # the needs page points to what waits for the unit
    proposal = unit.locator(f"#proposal-{claim.pk}")
    proposal.locator("button[data-act=decline]").click()  # no reason: refused, says why
    unit.wait_for_selector('[data-error-for="reason"]')
    assert "请说明谢绝的原因。" in unit.inner_text(f"#proposal-{claim.pk}")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PROPOSED
    proposal.locator("input[name=reason]").fill("本月志愿者都在支援防汛")
    proposal.locator("button[data-act=decline]").click()
    unit.wait_for_selector("text=已谢绝")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DECLINED and claim.reason == "本月志愿者都在支援防汛"

    staff.reload()
    declined = staff.locator(f"#proposal-{claim.pk}[data-status=declined]")
    assert "本月志愿者都在支援防汛" in declined.inner_text()
    # The same need and resource are not suggested again.
    assert staff.locator("tr.suggestion", has_text="周末助老志愿服务").count() == 0
    _fits(staff)
    screenshot(staff, f"proposal-3-declined-{device}")
    _close(unit_context, staff_context)


def test_community_rejects_a_claim_saying_why_on_a_phone(world, chromium, live_server):
    need = _suggestion(world)
    claim = services.claim_create(
        actor=world.users["unit"], need=need, unit=world.objs["unit_a"], quantity=3
    )
    staff_context, staff = _context(chromium, live_server, "phone")
    login(staff, "community")
    staff.goto(f"/cobuild/needs/{need.pk}/")
    row = staff.locator("tr.claim[data-status=pending]")
    row.locator("button[data-act=reject]").click()  # no reason: refused beside the field
    staff.wait_for_selector('[data-error-for="reason"]')
    assert "请说明不通过的原因。" in staff.inner_text("tr.claim")
    staff.locator("tr.claim input[name=reason]").fill("本周活动已由其他单位承接")
    staff.locator("tr.claim button[data-act=reject]").click()
    staff.wait_for_selector("tr.claim[data-status=rejected]")
    _fits(staff)
    claim.refresh_from_db()
    assert claim.reason == "本周活动已由其他单位承接"

    unit_context, unit = _context(chromium, live_server, "phone")
    login(unit, "unitliaison")
    unit.goto("/inbox/")
    assert "本周活动已由其他单位承接" in unit.inner_text("main")
    unit.goto("/cobuild/matches/")
    assert "本周活动已由其他单位承接" in unit.inner_text("#rejected")
    screenshot(unit, "claim-rejected-unit-phone")
    _close(unit_context, staff_context)
