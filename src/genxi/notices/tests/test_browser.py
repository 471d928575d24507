"""In a browser: the community worker drafts a notice by SMS, adds a picture and submits it (the page says
they cannot approve it themselves); the street admin approves it on a desktop; the texts go
to the consenting resident only; a resident on a phone (390×844) opens it through the
poster's QR link, and the street admin's phone shows the reach figures."""

import pytest
from django.utils import timezone

from genxi.core.sms.senders import FakeSender
from genxi.core.testing.browser import login, open_menu, screenshot, wait_until
from genxi.core.testing.images import jpeg_with_gps
from genxi.notices import selectors
from genxi.notices.models import Announcement

from .helpers import resident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_notice_from_draft_through_approval_to_its_reach(page, phone_page, world):
    FakeSender.reset()
    agrees = resident(world, 1)
    resident(world, 2, consent=False)
    login(page, "community")
    open_menu(page, "社区公告")
    page.wait_for_selector("#new-notice")
    page.click("#new-notice >> text=彩香一村社区")
    page.wait_for_selector("#notice-form")
    today = timezone.localdate()
    page.fill("#id_title", "防范非法集资提醒")
    page.fill("#id_text", "高息理财、养老投资多为非法集资,切勿轻信。")
    page.fill("#id_valid_from", f"{today:%Y-%m-%d}")
    page.fill("#id_valid_until", f"{today:%Y-%m-%d}")
    page.check("#id_by_sms")
    page.click("#notice-form button[type=submit]")
    page.wait_for_selector("[data-error-for=sms_text]")  # SMS without its text: refused
    page.fill("#id_sms_text", "社区提醒:高息理财多为非法集资,切勿轻信!")
    page.click("#notice-form button[type=submit]")
    page.wait_for_selector("#status:text('草稿')")
    page.set_input_files(
        "#id_image",
        files=[
            {"name": "示意.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps().getvalue()}
        ],
    )
    page.fill("#id_caption", "举报电话示意")
    page.click("#image-form button[type=submit]")
    page.wait_for_selector("#images figcaption:text('举报电话示意')")
    page.click("#act-form button[value=submit]")
    page.wait_for_selector("#status:text('待审核')")
    assert page.locator("#act-form button[value=approve]").count() == 0
    assert "另一位工作人员" in page.inner_text("#four-eyes")
    screenshot(page, "notices-1-submitted-desk")

    page.context.clear_cookies()
    login(page, "street")
    notice = Announcement.objects.get()
    page.goto(notice.get_absolute_url())
    page.click("#act-form button[value=approve]")
    page.wait_for_selector("#status:text('已发布')")
    assert page.inner_text("[data-figure=sms_sent]") == "1"
    assert page.inner_text("[data-figure=sms_no_consent]") == "1"
    assert [s.phone for s in FakeSender.sent] == [agrees.phone]
    assert agrees.phone not in page.content()
    screenshot(page, "notices-2-published-desk")

    phone = phone_page
    phone.goto(selectors.qr_path(notice))
    phone.wait_for_selector("#notice-title")
    assert "切勿轻信" in phone.inner_text("#notice-text")
    wait_until(
        phone, "document.querySelector('#notice-images img').naturalWidth > 0"
    )  # the picture loads for a resident without a login
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "notices-3-public-phone")
    login(phone, "street")
    phone.goto(notice.get_absolute_url())
    phone.wait_for_selector("#reach")
    assert phone.inner_text("[data-figure=qr_views]") == "1"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "notices-4-reach-phone")
    phone.goto(f"/notices/screen/{world.a1.code}/")
    phone.wait_for_selector("#screen .notice")
    screenshot(phone, "notices-5-screen-phone")
    FakeSender.reset()
