"""Service projects in a browser: a resident proposes a micro-project on a phone, the
community declines without a reason (the field says so), approves it with a budget, it
runs to its summary; the project is scored through the evaluation round."""

import pytest
from django.urls import reverse

from genxi.cobuild import services
from genxi.cobuild.models import Evaluation, Project, ProjectStatus, Stage
from genxi.core.testing.browser import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_micro_project_from_proposal_to_summary(live_server, world, page, phone_page):
    phone = phone_page
    phone.goto(reverse("cobuild:propose"))
    phone.select_option("#pp-community", str(world.a1.pk))
    phone.fill("#pp-title", "楼道加装扶手")
    phone.fill("#pp-goal", "3幢老人多,上下楼需要扶手")
    phone.fill("#pp-name", "王阿姨")
    phone.fill("#pp-phone", "139123")
    phone.click("text=提交提议")
    assert phone.locator('[data-error-for="proposer_phone"]').is_visible()
    phone.fill("#pp-phone", "13912345678")
    phone.click("text=提交提议")
    phone.wait_for_selector("#proposal-done")
    screenshot(phone, "cobuild-proposal-phone")
    project = Project.objects.get(title="楼道加装扶手")
    assert project.status == ProjectStatus.PROPOSED

    login(page, "community")
    page.goto(reverse("cobuild:project", args=[project.pk]))
    assert "139****5678" in page.inner_text("#proposal")
    page.check("#d-decline")
    page.click("#decide-form button[type=submit]")
    assert page.locator('[data-error-for="reason"]').is_visible()
    page.check("#d-approve")
    page.fill("#d-budget", "3000")
    page.click("#decide-form button[type=submit]")
    page.wait_for_selector('#project-status[data-status="planning"]')
    page.fill("#milestone-form input[name=title]", "采购扶手")
    page.fill("#milestone-form input[name=due]", "2026-03-01")
    page.click("#milestone-form button")
    page.fill("#spending-form input[name=date]", "2026-03-02")
    page.fill("#spending-form input[name=item]", "不锈钢扶手")
    page.fill("#spending-form input[name=amount]", "1200")
    page.click("#spending-form button")
    assert "1200" in page.inner_text("#project-spent")
    page.click("#step-form button[value=start]")
    page.wait_for_selector('#project-status[data-status="active"]')
    page.click("#step-form button[value=finish]")
    assert page.locator('[data-error-for="summary"]').is_visible()
    page.fill("#s-summary", "装好 12 处扶手,32 位老人受益")
    page.click("#step-form button[value=finish]")
    page.wait_for_selector("#project-summary")
    screenshot(page, "cobuild-micro-project")
    project.refresh_from_db()
    assert (project.status, project.budget, project.progress) == (ProjectStatus.DONE, 3000, 100)


def _fill_scores(page, value):
    for select in page.locator("#score-form select").all():
        select.select_option(value)


def test_scoring_a_project(live_server, world, page):
    project = services.project_create(
        actor=world.users["street"], community=world.a1, title="长者助餐点", goal="助老"
    )
    login(page, "community")
    page.goto(reverse("cobuild:project", args=[project.pk]))
    page.fill("#evaluation-form input[name=period]", "2026年度")
    page.click("#evaluation-form button")
    page.wait_for_selector("#score-form")
    assert page.locator("#scorecard tbody tr").count() == 5
    screenshot(page, "cobuild-scorecard")
    page.click("#score-form button[type=submit]")  # nothing scored: each field says so
    assert page.locator('#score-form [data-error-for^="score_"]').count() == 5
    _fill_scores(page, "4")
    page.fill("#score-form textarea >> nth=0", "需求来自走访台账")
    page.click("#score-form button[type=submit]")
    page.wait_for_selector('#evaluation-stage:not([data-stage="self"])')
    _fill_scores(page, "4")
    page.click("#score-form button[type=submit]")
    page.wait_for_selector("#evaluation-total")
    assert page.locator("#score-form").count() == 0  # the street reviews now

    page.context.clear_cookies()
    login(page, "street")
    evaluation = Evaluation.objects.get(project=project)
    page.goto(reverse("cobuild:evaluation", args=[evaluation.pk]))
    _fill_scores(page, "5")
    page.click("#score-form button[type=submit]")
    page.wait_for_selector('#evaluation-stage[data-stage="done"]')
    assert "100.0" in page.inner_text("#evaluation-total")
    evaluation.refresh_from_db()
    assert evaluation.stage == Stage.DONE
    page.goto(reverse("cobuild:rankings"))
    assert "长者助餐点" in page.inner_text("#ranking")
    screenshot(page, "cobuild-rankings")
