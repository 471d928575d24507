"""吹哨报到 in a real browser, on a desktop and on a 390×844 phone: a community worker sends
a case up to the street; the street dispatches it to the market-supervision desk (主办)
with the property company assisting (协办); the property company reports its part from its
协办 queue; the department sends it back; the street dispatches it again; the department
resolves it. The case page shows every hand-over with its time."""

import pytest

from genxi.cases import services
from genxi.cases.models import Case
from genxi.core.testing.browser import login, open_menu, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {
    "desktop": {"viewport": {"width": 1366, "height": 900}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
}


@pytest.mark.parametrize("size", sorted(SIZES))
def test_escalate_dispatch_assist_send_back_resolve(size, escalation, chromium, live_server):
    w = escalation
    case = services.case_create(
        actor=w.users["community"],
        channel="phone",
        text="彩香新村5幢底商餐馆油烟直排扰民,社区多次协调无果",
        lat=31.321,
        lon=120.591,
    )
    services.case_act(actor=w.users["community"], case=case, action="accept")
    contexts = []

    def person(username):
        context = chromium.new_context(base_url=live_server.url, locale="zh-CN", **SIZES[size])
        context.set_default_timeout(15_000)
        contexts.append(context)
        tab = context.new_page()
        login(tab, username)
        return tab

    def fits(tab):
        if size == "phone":
            assert tab.evaluate("document.documentElement.scrollWidth") <= 391

    # 1. The community worker sends it up with a reason; a missing reason is refused.
    desk = person("community")
    desk.goto(case.get_absolute_url())
    desk.fill("form[data-action=escalate] input[name=reason]", "   ")
    desk.click("form[data-action=escalate] button")
    desk.wait_for_selector("[data-error-for=reason]")
    assert desk.locator("form[data-action=escalate] input[name=reason]").get_attribute(
        "aria-invalid"
    )
    desk.fill("form[data-action=escalate] input[name=reason]", "涉及餐饮油烟执法,社区无权处理")
    desk.click("form[data-action=escalate] button")
    desk.wait_for_selector("#case-level")
    assert desk.inner_text("#case-level") == "街道"
    assert not desk.locator("form[data-action=dispatch]").count()  # the street's now
    fits(desk)
    screenshot(desk, f"escalate-1-community-{size}")

    # 2. The street finds it in 上报街道 and dispatches: 主办 the department, 协办 the
    #    property company, picked by organisation and name.
    street = person("street")
    open_menu(street, "诉求")
    street.click("a[href='?queue=escalated']")
    street.click(f"text={case.code} >> visible=true")
    form = street.locator("form[data-action=dispatch]")
    assert "officer" not in form.inner_text()  # names, never logins
    form.locator("select[name=handler]").select_option(label="市场监管所")
    form.locator("select[name=assistants]").select_option(label="物业王经理")
    fits(street)
    screenshot(street, f"escalate-2-street-dispatch-{size}")
    form.locator("button").click()
    street.wait_for_selector("#case-state[data-state=dispatched]")
    assert street.locator("#assignments [data-role=lead]").inner_text().count("市场监管所")
    assert "彩香物业公司" in street.inner_text("#assignments [data-role=assist]")

    # 3. The property company reports its part from its 协办 queue.
    keeper = person("wuye")
    keeper.goto("/cases/?queue=assist")
    keeper.click(f"text={case.code} >> visible=true")
    keeper.fill("form[data-action=assist_done] textarea[name=note]", "已提供商铺租赁信息,陪同检查")
    keeper.click("form[data-action=assist_done] button")
    keeper.wait_for_selector("#assignments [data-role=assist][data-outcome=done]")
    assert not keeper.locator("form[data-action=resolve], form[data-action=take]").count()
    fits(keeper)

    # 4. The department sends it back to the street (not the community).
    officer = person("officer")
    open_menu(officer, "我的任务")
    officer.click(f'.task[data-code="{case.code}"] a.btn')
    officer.fill("form[data-action=return] input[name=reason]", "需先确认商户营业执照归属")
    officer.click("form[data-action=return] button")
    officer.wait_for_selector("#case-state[data-state=accepted]")
    case.refresh_from_db()
    assert (case.level, case.handler) == ("street", None)

    # 5. The street dispatches it again; the department takes it and resolves it.
    street.reload()
    street.locator("form[data-action=dispatch] select[name=handler]").select_option(
        label="市场监管所"
    )
    street.click("form[data-action=dispatch] button")
    street.wait_for_selector("#case-state[data-state=dispatched]")
    officer.goto(case.get_absolute_url())
    officer.click("form[data-action=take] button")
    officer.wait_for_selector("form[data-action=resolve]")
    officer.fill("form[data-action=resolve] textarea[name=result]", "已责令安装油烟净化设备")
    officer.click("form[data-action=resolve] button")
    officer.wait_for_selector("#case-state[data-state=resolved]")
    fits(officer)
    screenshot(officer, f"escalate-3-department-resolved-{size}")

    # Every hand-over is in the history with its time, and the levels' times are shown.
    case = Case.objects.get(pk=case.pk)
    timeline = officer.inner_text("#timeline")
    for word in ("上报街道", "派遣", "协办完成", "退回", "办结"):
        assert word in timeline
    assert officer.locator("[data-hold]").count() == 2  # the community, then the street
    assert list(case.events.values_list("action", flat=True)) == [
        "submit",
        "accept",
        "escalate",
        "dispatch",
        "assist_done",
        "return",
        "dispatch",
        "take",
        "resolve",
    ]
    for context in contexts:
        for tab in context.pages:
            tab.wait_for_load_state("networkidle")
        context.close()
