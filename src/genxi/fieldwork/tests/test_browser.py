"""In a browser on a phone (390×844): a grid worker opens the day's log, goes to a planned
household, records a visit with a photo and a finding, and turns the finding into a case
in one tap; the community worker's workbench shows a no-answer welfare check first."""

from datetime import date

import pytest

from genxi.cases.categories import ensure as ensure_categories
from genxi.cases.models import Case, Category
from genxi.core.roles import Role
from genxi.core.testing.browser import login, open_menu, screenshot
from genxi.core.testing.images import jpeg_with_gps
from genxi.core.testing.world import make_user
from genxi.fieldwork import services
from genxi.fieldwork.models import Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_grid_worker_records_a_visit_and_raises_a_case(phone_page, world, tmp_path):
    ensure_categories(Category)
    worker = make_user("gridworker", Role.GRID_WORKER, region=world.grid_a1)
    worker.display_name = "彩香一村网格员"
    worker.save(update_fields=["display_name"])
    world.pioneer(world.grid_a1, "P-GW", "王网格", user=worker)
    world.resident(world.grid_a1, "陈阿婆", address="彩香新村5幢2单元301室", tags=["elderly_alone"])
    services.plan_generate(actor=worker, grid=world.grid_a1, month=date.today())
    photo = tmp_path / "door.jpg"
    photo.write_bytes(jpeg_with_gps().read())

    phone = phone_page
    login(phone, "gridworker")
    open_menu(phone, "民情日志")
    phone.wait_for_selector("#log-plan")
    screenshot(phone, "fieldwork-1-daily-log-phone")
    phone.click("#log-plan a")
    phone.wait_for_selector("#visit-form")
    phone.fill("#id_met", "陈阿婆本人")
    phone.fill("#id_note", "楼道堆满杂物,老人下楼不方便")
    phone.check("#visit-form input[value=ENV]")
    phone.set_input_files("#id_photos", str(photo))
    assert phone.input_value("[data-idempotency-key]")  # a key for this submission
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "fieldwork-2-visit-form-phone")
    phone.click("#visit-form button[type=submit]")
    phone.wait_for_selector("#raise-case")
    visit = Visit.objects.get()
    assert visit.pioneer.name == "王网格" and visit.findings == ["ENV"]
    assert visit.photos.count() == 1
    phone.click("#case-form button[type=submit]")
    phone.wait_for_selector("#visit-case a")
    case = Case.objects.get()
    assert case.channel == "pioneer_visit" and case.category.code == "ENV"
    assert case.code in phone.inner_text("#visit-case")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "fieldwork-3-visit-case-phone")


def test_no_answer_comes_first_on_the_workbench(page, world):
    elder = world.resident(
        world.grid_a1, "孙爷爷", address="彩香新村6幢1单元101室", tags=["elderly_alone"]
    )
    services.care_round_record(actor=world.users["grid"], resident=elder, outcome="no_answer")
    login(page, "community")
    page.goto("/")
    first = page.locator("[data-key], .work-count, a").filter(has_text="关爱探访无人应答").first
    assert first.is_visible()
    screenshot(page, "fieldwork-4-workbench-desk")


def test_the_active_tab_is_seen_on_a_phone(phone_page, world):
    """The last tab (每周小结), when it is the page shown, is inside the phone's screen:
    the tabs wrap, they are not scrolled off to the right."""
    phone = phone_page
    login(phone, "community")
    phone.goto("/fieldwork/weekly/")
    box = phone.locator("#fieldwork-tabs [aria-current=page]").bounding_box()
    assert phone.inner_text("#fieldwork-tabs [aria-current=page]") == "每周小结"
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
