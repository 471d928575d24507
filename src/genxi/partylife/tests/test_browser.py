"""In a browser: a community worker plans a winter-training session on the desktop, then
records its attendance on a phone (390×844) — a checklist of the organisation's members,
出席 / 缺席 / 请假 — and the session and the roll-up show it."""

import pytest

from genxi.core.testing.browser import login, open_menu, screenshot
from genxi.partylife import services
from genxi.partylife.models import Attendance, TrainingSession

from .helpers import members, tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_planning_a_session_and_recording_attendance_on_a_phone(page, phone_page, world):
    t = tree(world)
    ms = members(world, t["a1"], 3)
    plan = services.plan_create(
        actor=world.users["community"], org=t["a1"], year=2026, title="2026年度党员冬训计划"
    )
    login(page, "community")
    open_menu(page, "党员生活")
    page.wait_for_selector("#rollups")
    screenshot(page, "partylife-1-rollups-desk")
    page.click("#rollups >> text=彩香一村大党委")
    page.wait_for_selector("#plans")
    page.click("#plans >> text=2026年度党员冬训计划")
    page.wait_for_selector("#session-form")
    # A bad session first (past the browser's own checks): the server's error is beside
    # its field, nothing is made.
    page.eval_on_selector("#session-form", "f => { f.noValidate = true; }")
    page.fill("#id_topic", "学习党的二十届四中全会精神")
    page.select_option("#id_kind", "study")
    page.fill("#id_starts_at", "2026-12-20T14:00")
    page.fill("#id_minutes", "0")
    page.click("#session-form button")
    page.wait_for_selector("[data-error-for=minutes]")
    assert not TrainingSession.objects.exists()
    page.fill("#id_minutes", "90")
    page.fill("#id_place", "社区党群服务中心")
    page.click("#session-form button")
    page.wait_for_selector("#attendance-form")
    session = TrainingSession.objects.get(plan=plan)
    screenshot(page, "partylife-2-session-desk")

    phone = phone_page
    login(phone, "community")
    phone.goto(session.get_absolute_url())
    phone.wait_for_selector("#attendance-form")
    phone.click(f"[data-member='{ms[1].pk}'] >> text=请假")
    phone.click(f"[data-member='{ms[2].pk}'] >> text=缺席")
    screenshot(phone, "partylife-3-attendance-phone")
    phone.click("#attendance-form button")
    phone.wait_for_selector("#attendance-summary")
    assert "1/3" in phone.inner_text("#attendance-summary")
    marks = dict(Attendance.objects.filter(session=session).values_list("member_id", "status"))
    assert marks == {ms[0].pk: "present", ms[1].pk: "leave", ms[2].pk: "absent"}
    screenshot(phone, "partylife-4-attendance-saved-phone")
    phone.goto("/partylife/")
    phone.wait_for_selector("#rollups")
    row = phone.inner_text(f"#rollups tr[data-org='{t['a1'].pk}']")
    assert "33.3%" in row
    screenshot(phone, "partylife-5-rollups-phone")
