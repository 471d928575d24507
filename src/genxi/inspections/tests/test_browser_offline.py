"""An inspection on a phone that loses its connection in the middle (issue #13, docs/offline.md),
390×844 in Playwright's offline mode: the first item is saved online; the rest — one failed
with a photo and a note — and the owner's signature are made without a connection, the
browser is closed, opened again and logged in when the connection is back: every answer and
photo arrives exactly once, and the notice is issued."""

import pytest

from genxi.core.models import IdempotentPost
from genxi.core.testing.browser import login, phone_browser, screenshot
from genxi.core.testing.images import jpeg_with_gps
from genxi.inspections.models import (
    Answer,
    AnswerPhoto,
    Inspection,
    InspectionState,
    MemberRole,
    Notice,
)

from .helpers import round_, target

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _waiting(page, n):
    page.locator("[data-outbox-count]").filter(has_text=f"待发送 {n} 条").wait_for()


def test_an_inspection_that_loses_its_connection_sends_everything_once(
    playwright_driver, live_server, world, tmp_path
):
    shop = target(world, "彩香小吃店", kind="restaurant")
    round_(
        world,
        [shop],
        code="shop-fire-safety",
        title="彩香商铺消防检查",
        team=[(world.users["community"], MemberRole.COMMUNITY)],
    )
    inspection = Inspection.objects.get()
    url = inspection.get_absolute_url()

    profile = tmp_path / "phone"
    context = phone_browser(playwright_driver, live_server, profile)
    page = context.pages[0] if context.pages else context.new_page()
    login(page, "community")
    page.goto(inspection.round.get_absolute_url())  # the round's inspections kept on the phone
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.goto(url)
    page.locator("#item-1 label[for$='p']").click()
    page.locator("#item-1 button[type=submit]").click()
    page.wait_for_selector("#item-1 .answer-now")  # saved while online

    context.set_offline(True)
    choices = {2: "f", 3: "p", 4: "p", 5: "p"}
    for n, (position, choice) in enumerate(choices.items(), start=1):
        card = page.locator(f"#item-{position}")
        card.locator(f"label[for$='{choice}']").click()
        if position == 2:
            card.locator("input[name=note]").fill("两具灭火器已过期")
            card.locator("input[type=file]").set_input_files(
                files=[
                    {
                        "name": "灭火器.jpg",
                        "mimeType": "image/jpeg",
                        "buffer": jpeg_with_gps().getvalue(),
                    }
                ]
            )
        card.locator("button[type=submit]").click()
        _waiting(page, n)
    page.fill("#id_ack_name", "王老板")
    pad = page.locator("canvas.signature-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 100)
    page.mouse.down()
    for x, y in ((80, 30), (150, 110), (220, 40), (300, 90)):
        page.mouse.move(box["x"] + x, box["y"] + y, steps=5)
    page.mouse.up()
    page.click("#finish-form button[type=submit]")
    _waiting(page, 5)
    screenshot(page, "inspections-offline-waiting-phone")
    assert Answer.objects.count() == 1 and inspection.state == InspectionState.PENDING
    context.close()

    # Opened again, with the connection back: the session ended with the browser.
    context = phone_browser(playwright_driver, live_server, profile)
    page = context.pages[0] if context.pages else context.new_page()
    login(page, "community")
    page.goto(url)
    # The bar starts hidden: wait until this page's own sending round is over, then empty.
    page.locator("#outbox-bar[data-flushed]").wait_for(state="attached")
    page.locator("#outbox-bar").wait_for(state="hidden")
    inspection.refresh_from_db()
    assert inspection.state == InspectionState.DONE and inspection.ack_name == "王老板"
    assert inspection.ack_signature.name.endswith(".png")
    assert Answer.objects.filter(inspection=inspection).count() == 5
    assert AnswerPhoto.objects.count() == 1
    assert IdempotentPost.objects.count() == 6  # one online, five from the outbox
    notice = Notice.objects.get()
    assert [ni.item.position for ni in notice.items.all()] == [2]
    screenshot(page, "inspections-offline-sent-phone")
    context.close()
