"""Field work without a connection (issue #15, docs/offline.md), on a 390×844 phone in
Playwright's offline mode: the morning's 民情日志 keeps the day's households on the phone;
in a basement with no signal the grid worker records three visits (one with a photo), a
case with a photo (走访登记) and takes a case that the community meanwhile gives to
someone else; the browser is closed and opened again with a connection: after logging in,
every record arrives once, and the overtaken step is shown as refused, not written."""

from datetime import date

import pytest

from genxi.cases import services as case_services
from genxi.cases.categories import ensure as ensure_categories
from genxi.cases.models import Case, CasePhoto, Category
from genxi.core.roles import Role
from genxi.core.testing.browser import login, phone_browser, screenshot
from genxi.core.testing.images import jpeg_with_gps
from genxi.core.testing.world import make_user
from genxi.fieldwork import services
from genxi.fieldwork.models import Household, Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADDRESSES = ["彩香新村5幢2单元301室", "彩香新村6幢1单元101室", "彩香新村7幢3单元502室"]
CASE_TEXT = "彩香新村地下车库积水,电瓶车充电线泡在水里"


def _waiting(page, n):
    page.locator("[data-outbox-count]").filter(has_text=f"待发送 {n} 条").wait_for()


def _photo():
    return [{"name": "现场.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps().getvalue()}]


def test_a_round_without_signal_arrives_once_and_a_conflict_is_shown(
    playwright_driver, live_server, world, tmp_path
):
    ensure_categories(Category)
    worker = make_user("gridworker", Role.GRID_WORKER, region=world.grid_a1)
    world.pioneer(world.grid_a1, "P-GW", "王网格", user=worker)
    for n, address in enumerate(ADDRESSES):
        world.resident(world.grid_a1, f"住户{n}", address=address)
    services.plan_generate(actor=worker, grid=world.grid_a1, month=date.today())
    households = list(Household.objects.filter(grid=world.grid_a1).order_by("pk"))
    assert len(households) == 3
    community = world.users["community"]
    case = case_services.case_create(
        actor=None, channel="phone", text="彩香新村8幢楼道灯不亮", region=world.grid_a1
    )
    case_services.case_act(actor=community, case=case, action="accept")
    case_services.case_act(actor=community, case=case, action="dispatch", handler=worker)

    profile = tmp_path / "phone"
    context = phone_browser(playwright_driver, live_server, profile)
    page = context.pages[0] if context.pages else context.new_page()
    login(page, "gridworker")
    # The morning, with a connection: the day's log, the task list, the visit form.
    page.goto("/fieldwork/today/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.goto("/cases/tasks/")
    for household in households:
        page.goto(household.get_absolute_url())
    page.goto(f"/cases/{case.code}/")
    page.goto("/cases/new/")

    context.set_offline(True)
    for n, household in enumerate(households):
        page.goto(household.get_absolute_url())  # from the phone's copy
        page.fill("#id_met", f"住户{n}本人")
        page.fill("#id_note", f"第{n + 1}户:情况良好,反映楼道灯不亮")
        if n == 0:
            page.set_input_files("#id_photos", files=_photo())
        page.click("#visit-form button[type=submit]")
        _waiting(page, n + 1)
    page.goto("/cases/new/")
    page.fill("#id_text", CASE_TEXT)
    page.evaluate(
        "() => { document.querySelector('#id_lat').value = '31.3211';"
        " document.querySelector('#id_lon').value = '120.5911'; }"
    )
    page.set_input_files("#id_photos", files=_photo())
    page.click("#case-form button[type=submit]")
    _waiting(page, 4)
    page.goto(f"/cases/{case.code}/")
    page.click("form[data-action=take] button[type=submit]")
    _waiting(page, 5)
    screenshot(page, "fieldwork-offline-waiting-phone")
    assert Visit.objects.count() == 0 and not Case.objects.filter(text=CASE_TEXT).exists()
    context.close()

    # Meanwhile the community gives the case to another handler.
    case_services.case_act(
        actor=community, case=case, action="transfer", handler=world.users["unit"]
    )

    context = phone_browser(playwright_driver, live_server, profile)
    page = context.pages[0] if context.pages else context.new_page()
    page.goto("/fieldwork/today/")
    login(page, "gridworker")
    page.locator("#outbox-bar li[data-state=refused]").wait_for(state="attached")
    page.locator("[data-outbox-count]").filter(has_text="1 条未被接受").wait_for()
    assert Visit.objects.count() == 3
    assert sorted(Visit.objects.values_list("household_id", flat=True)) == [
        h.pk for h in households
    ]
    assert Visit.objects.get(household=households[0]).photos.count() == 1
    raised = Case.objects.get(text=CASE_TEXT)
    assert CasePhoto.objects.filter(case=raised).count() == 1
    case.refresh_from_db()
    assert case.handler == world.users["unit"] and case.state == "dispatched"
    page.click("[data-outbox-toggle]")
    assert case.code in page.locator("#outbox-bar li[data-state=refused]").inner_text()
    screenshot(page, "fieldwork-offline-back-online-phone")
    context.close()
