"""A grid worker's phone without a connection (docs/offline.md), on a 390×844 screen with
Playwright's offline mode: three visits (one with a photo) and a step of the loop recorded
offline wait on the phone; the browser is closed and opened again online; after logging in,
everything arrives exactly once, and the step that someone else's work overtook meanwhile
is shown to the worker as refused, with the server's words, not written over."""

import pytest

from genxi.cases import services
from genxi.cases.models import Case, CasePhoto
from genxi.core.models import IdempotentPost
from genxi.core.testing.browser import login, phone_browser, screenshot, wait_until
from genxi.core.testing.images import jpeg_with_gps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VISITS = ["三元一村5幢楼道堆满了纸箱", "三元一村7幢门口路灯不亮", "三元一村东门的井盖松动了"]


def _fill_visit(page, text):
    page.fill("#id_text", text)
    page.evaluate(
        "() => { document.querySelector('#id_lat').value = '31.3211';"
        " document.querySelector('#id_lon').value = '120.5911'; }"
    )


def _waiting(page, n):
    page.locator("[data-outbox-count]").filter(has_text=f"待发送 {n} 条").wait_for()


def test_visits_and_a_step_made_offline_arrive_once_and_a_conflict_is_shown(
    playwright_driver, live_server, loop, tmp_path
):
    community, grid, liaison = loop.users["community"], loop.users["grid"], loop.users["unit"]
    case = services.case_create(
        actor=None, channel="phone", text="彩香新村5幢楼道里堆满了杂物", region=loop.grid_a1
    )
    services.case_act(actor=community, case=case, action="accept")
    services.case_act(actor=community, case=case, action="dispatch", handler=grid)

    profile = tmp_path / "phone"
    context = phone_browser(playwright_driver, live_server, profile)
    page = context.pages[0] if context.pages else context.new_page()
    login(page, "grid")
    page.goto("/cases/tasks/")  # the day's list: its case pages are kept on the phone
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.goto(f"/cases/{case.code}/")
    page.goto("/cases/new/")
    page.locator("#case-form input[name=idempotency_key]").wait_for(state="attached")

    context.set_offline(True)
    for n, text in enumerate(VISITS, start=1):
        _fill_visit(page, text)
        if n == 1:
            page.set_input_files(
                "#id_photos",
                files=[
                    {
                        "name": "楼道.jpg",
                        "mimeType": "image/jpeg",
                        "buffer": jpeg_with_gps().getvalue(),
                    }
                ],
            )
        page.click("#case-form button[type=submit]")
        _waiting(page, n)
    assert page.locator("#case-form .outbox-note").inner_text().startswith("没有网络")
    # The case page opens without a connection (kept by the service worker); taking the
    # case waits on the phone too.
    page.goto(f"/cases/{case.code}/")
    page.click("form[data-action=take] button[type=submit]")
    _waiting(page, 4)
    # Half-typed and not sent: kept as a draft.
    page.goto("/cases/new/")
    page.fill("#id_text", "还没写完的走访记录")
    page.wait_for_timeout(500)
    screenshot(page, "offline-phone-waiting")
    assert Case.objects.filter(text__in=VISITS).count() == 0
    context.close()

    # Meanwhile the community gives the case to someone else.
    services.case_act(actor=community, case=case, action="transfer", handler=liaison)

    context = phone_browser(playwright_driver, live_server, profile)
    page = context.pages[0] if context.pages else context.new_page()
    page.goto("/cases/new/")  # the session ended with the browser: log in again
    login(page, "grid")
    page.locator("#outbox-bar li[data-state=refused]").wait_for(state="attached")
    page.locator("[data-outbox-count]").filter(has_text="1 条未被接受").wait_for()
    assert "待发送" not in page.locator("[data-outbox-count]").inner_text()
    assert Case.objects.filter(text__in=VISITS).count() == 3
    for text in VISITS:
        assert Case.objects.filter(text=text).count() == 1
    first = Case.objects.get(text=VISITS[0])
    assert CasePhoto.objects.filter(case=first).count() == 1
    assert IdempotentPost.objects.filter(user=grid).count() == 3
    case.refresh_from_db()
    assert case.handler == liaison and case.state == "dispatched"  # not taken over
    page.click("[data-outbox-toggle]")
    refused = page.locator("#outbox-bar li[data-state=refused]").inner_text()
    assert "未被接受" in refused and case.code in refused
    page.click("#outbox-bar li[data-state=refused] button")  # read, and let go
    page.locator("#outbox-bar").wait_for(state="hidden")
    page.goto("/cases/new/")
    assert page.input_value("#id_text") == "还没写完的走访记录"  # the draft came back
    screenshot(page, "offline-phone-back-online")
    context.close()


def test_the_outbox_sends_only_when_the_phone_is_online_and_not_from_a_page_being_left(
    playwright_driver, live_server, loop, tmp_path
):
    """Chromium fires "online" in a page being left while navigator.onLine still says false;
    a record sent then escapes the page (its answer is never heard), so the outbox waits for
    a real return of the connection and never sends from a page being left."""
    context = phone_browser(playwright_driver, live_server, tmp_path / "phone")
    page = context.pages[0] if context.pages else context.new_page()
    login(page, "grid")
    page.goto("/cases/new/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.goto("/cases/new/")
    page.locator("#case-form input[name=idempotency_key]").wait_for(state="attached")
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)

    context.set_offline(True)
    _fill_visit(page, VISITS[0])
    page.click("#case-form button[type=submit]")
    _waiting(page, 1)
    assert posts == []  # no connection: not even tried
    # An "online" event while the phone still says it is offline sends nothing.
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_timeout(300)
    assert posts == []
    # A page being left sends nothing, even when the connection comes back meanwhile.
    page.evaluate("window.dispatchEvent(new PageTransitionEvent('pagehide'))")
    context.set_offline(False)
    wait_until(page, "navigator.onLine")
    page.wait_for_timeout(300)
    assert posts == [] and not Case.objects.filter(text=VISITS[0]).exists()
    # The next page sends it, once.
    page.goto("/cases/new/")
    page.locator("#outbox-bar[data-flushed]").wait_for(state="attached")
    page.locator("#outbox-bar").wait_for(state="hidden")
    assert Case.objects.filter(text=VISITS[0]).count() == 1
    context.close()
