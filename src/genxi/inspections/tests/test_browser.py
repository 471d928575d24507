"""In a browser on a phone (390×844): a community worker on the joint team opens the round
from the menu, answers the shop's items one by one (a failure with a photo and a note,
one put right on the spot), the shop owner signs on the screen, and the notice is issued;
its PDF opens from the notice's page."""

import pytest

from genxi.core.testing.browser import login, open_menu, screenshot
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


def test_an_inspection_on_a_phone_ends_in_a_signed_notice(phone_page, world, tmp_path):
    shop = target(world, "彩香小吃店", kind="restaurant")
    round_(
        world,
        [shop],
        code="shop-fire-safety",
        title="彩香商铺消防检查",
        team=[(world.users["community"], MemberRole.COMMUNITY)],
    )
    photo = tmp_path / "extinguisher.jpg"
    photo.write_bytes(jpeg_with_gps().getvalue())
    phone = phone_page
    login(phone, "community")
    open_menu(phone, "检查轮次")
    phone.click("tr.round a")
    phone.wait_for_selector("#round-summary")
    phone.click(".inspection-row a")
    phone.wait_for_selector("#item-1")
    choices = {1: "p", 2: "f", 3: "p", 4: "p", 5: "f"}
    for position, choice in choices.items():
        card = phone.locator(f"#item-{position}")
        card.locator(f"label[for$='{choice}']").click()
        if position == 2:  # extinguishers out of date: a photo and a note
            card.locator("input[name=note]").fill("两具灭火器已过期")
            card.locator("input[type=file]").set_input_files(str(photo))
        if position == 5:  # a banner taken down on the spot
            card.locator("input[name=fixed_on_spot]").check()
        card.locator("button[type=submit]").click()
        phone.wait_for_selector(f"#item-{position} .answer-now")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "inspections-1-items-phone")
    phone.fill("#id_ack_name", "王老板")
    pad = phone.locator("canvas.signature-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    phone.mouse.move(box["x"] + 20, box["y"] + 100)
    phone.mouse.down()
    for x, y in ((80, 30), (150, 110), (220, 40), (300, 90)):
        phone.mouse.move(box["x"] + x, box["y"] + y, steps=5)
    phone.mouse.up()
    screenshot(phone, "inspections-2-signature-phone")
    phone.click("#finish-form button[type=submit]")
    phone.wait_for_selector("#notice-state")
    screenshot(phone, "inspections-3-notice-phone")
    inspection = Inspection.objects.get(reinspects__isnull=True)
    assert inspection.state == InspectionState.DONE and inspection.ack_name == "王老板"
    assert inspection.ack_signature.name.endswith(".png")
    assert Answer.objects.filter(inspection=inspection).count() == 5
    assert AnswerPhoto.objects.count() == 1
    notice = Notice.objects.get()
    assert [ni.item.position for ni in notice.items.all()] == [2]
    assert notice.number in phone.inner_text("h1")
    response = phone.request.get(f"/inspections/notices/{notice.pk}/pdf/")
    assert response.ok and response.headers["content-type"] == "application/pdf"
