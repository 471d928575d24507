"""The pages: each renders for the people it is for, a bad post comes back with its field
marked and nothing written, a care record's page is audited at every view."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from genxi.cases.categories import ensure as ensure_categories
from genxi.cases.models import Case, Category
from genxi.core.models import AuditEvent
from genxi.fieldwork import services
from genxi.fieldwork.models import CareRound, Household, PlanItem, Visit


@pytest.fixture
def setup(world):
    ensure_categories(Category)
    li = world.resident(
        world.grid_a1, "李三", address="彩香新村6幢1单元101室", tags=["elderly_alone"]
    )
    world.resident(world.grid_a1, "王四", address="彩香新村7幢1单元101室")
    world.pioneer(world.grid_a1, "P-1", "先锋甲", user=world.users["grid"])
    world.pioneer(world.grid_a1, "P-2", "先锋乙")
    return world, li


def login(client, user):
    client.force_login(user)


def test_every_page_renders_for_the_grid_worker(client, setup):
    world, li = setup
    login(client, world.users["grid"])
    household = Household.objects.get(members__resident=li)
    visit = services.visit_record(actor=world.users["grid"], household=household, note="身体还好")
    pages = [
        reverse("fieldwork:home"),
        reverse("fieldwork:households"),
        reverse("fieldwork:household", args=[household.pk]),
        reverse("fieldwork:visit", args=[visit.pk]),
        reverse("fieldwork:plan"),
        reverse("fieldwork:care"),
        reverse("fieldwork:care_resident", args=[li.pk]),
        reverse("fieldwork:today"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "None" not in response.content.decode(), url


def test_record_a_visit_and_raise_a_case(client, setup):
    world, li = setup
    login(client, world.users["grid"])
    household = Household.objects.get(members__resident=li)
    url = reverse("fieldwork:visit_new", args=[household.pk])
    bad = client.post(url, {"findings": ["NOPE"]})
    assert bad.status_code == 400 and b'data-error-for="findings"' in bad.content
    assert not Visit.objects.exists()
    key = "6f1c1f0e-8b1a-4c53-9d39-2d8f7f3f2a11"
    data = {"key": key, "met": "本人", "note": "楼道灯坏了,晚上看不见", "findings": ["FAC"]}
    response = client.post(url, data)
    assert response.status_code == 302
    assert client.post(url, data).status_code == 302  # sent twice: one visit
    visit = Visit.objects.get()
    assert visit.pioneer.name == "先锋甲" and visit.findings == ["FAC"]
    page = client.get(reverse("fieldwork:visit", args=[visit.pk])).content.decode()
    assert "一键转为诉求" in page
    category = Category.objects.get(code="FAC")
    response = client.post(
        reverse("fieldwork:visit_case", args=[visit.pk]), {"category": category.pk, "text": ""}
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.case and visit.case.text.startswith("楼道灯坏了")
    assert Case.objects.count() == 1


def test_plan_page_generates_and_reassigns(client, setup):
    world, _li = setup
    login(client, world.users["grid"])
    month = "2026-10"
    response = client.post(
        reverse("fieldwork:plan_generate", args=[world.grid_a1.code]), {"month": month}
    )
    assert response.status_code == 302
    item = PlanItem.objects.first()
    other = next(p for p in services.grid_pioneers(world.grid_a1) if p != item.pioneer)
    response = client.post(reverse("fieldwork:plan_assign", args=[item.pk]), {"pioneer": other.pk})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.pioneer == other
    page = client.get(reverse("fieldwork:plan") + f"?month={month}").content.decode()
    assert other.name in page


def test_care_pages_are_audited_and_hidden_from_the_street(client, setup):
    world, li = setup
    login(client, world.users["community"])
    url = reverse("fieldwork:care_resident", args=[li.pk])
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(verb="care.view", actor=world.users["community"]).count() == 1
    response = client.post(reverse("fieldwork:care_new", args=[li.pk]), {"outcome": "no_answer"})
    assert response.status_code == 302
    assert CareRound.objects.get().case.urgency == "urgent"
    home = client.get(reverse("home")).content.decode()
    assert "关爱探访无人应答" in home
    client.logout()
    login(client, world.users["street"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("fieldwork:care")).status_code == 404


def test_cycle_and_rules_for_staff(client, setup):
    world, _li = setup
    login(client, world.users["community"])
    response = client.post(reverse("fieldwork:cycle", args=[world.a1.code]), {"months": "1"})
    assert response.status_code == 302
    assert services.cycle_months(world.a1) == 1
    response = client.post(
        reverse("fieldwork:care_rule", args=[world.a1.code]),
        {"tag": "low_income", "every_days": "100"},
    )
    assert response.status_code == 400
    response = client.post(
        reverse("fieldwork:care_rule", args=[world.a1.code]),
        {"tag": "low_income", "every_days": "30"},
    )
    assert response.status_code == 302
    page = client.get(reverse("fieldwork:care")).content.decode()
    assert "低保户: 每 30 天一次" in page
    summary = client.get(reverse("fieldwork:weekly")).content.decode()
    assert "每周小结" in summary


@pytest.mark.parametrize("who", ["street", "community", "grid", "system_admin", "outsider"])
def test_every_tab_shown_opens(client, setup, who):
    # The street's admin saw 关爱探访 in the tabs and got a 404 from it (the walk of
    # the demo): a tab shows only where the menu offers its page.
    world, _li = setup
    login(client, world.users[who])
    page = client.get(reverse("fieldwork:households"))
    if page.status_code != 200:
        return  # no field work at all: no tabs to check
    html = page.content.decode()
    nav = html[html.index('aria-label="走访"') :]
    nav = nav[: nav.index("</nav>")]
    hrefs = re.findall(r'href="([^"]+)"', nav)
    assert hrefs
    for href in hrefs:
        assert client.get(href).status_code == 200, (who, href)
