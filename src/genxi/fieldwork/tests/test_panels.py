"""Field work's coverage panel on the dashboards shows the coverage page's figures."""

import uuid
from datetime import date

from genxi.core import panels
from genxi.core.panels import Period
from genxi.fieldwork import selectors, services
from genxi.fieldwork.models import Household


def test_the_coverage_panel_answers_the_coverage_figures(world):
    for n, address in enumerate(["彩香新村5幢2单元301室", "彩香新村6幢1单元101室"]):
        world.resident(world.grid_a1, f"住户{n}", address=address)
    household = Household.objects.filter(grid=world.grid_a1).first()
    services.visit_record(
        actor=world.users["grid"], household=household, key=uuid.uuid4(), met="本人", note="良好"
    )
    street = world.street_a
    panel = panels.panel("fieldwork.coverage")
    assert panel in panels.panels_for("street") and panel in panels.panels_for("grid")
    data = panel.selector(world.users["street"], street, Period(date(2026, 1, 1), date(2026, 2, 1)))
    found = selectors.coverage(user=world.users["street"], region=street)
    values = {str(i["label"]): i["value"] for i in data["items"]}
    assert found.households == 2 and found.visited == 1
    assert values == {
        "住户": 2,
        "本周期已走访": 1,
        "覆盖率": "50%",
        "逾期未访": found.overdue,
        "走访次数": 1,
    }
    # Someone who may not see households sees none counted.
    outsider = panel.selector(
        world.users["outsider"], street, Period(date(2026, 1, 1), date(2026, 2, 1))
    )
    assert [i["value"] for i in outsider["items"]][:2] == [0, 0]


def test_the_panel_leads_to_the_coverage_page_only_for_those_who_may_open_it(world):
    from genxi.core.roles import Role
    from genxi.core.testing.world import make_user

    officer = make_user("dept-officer", Role.DEPARTMENT_OFFICER, region=world.street_a)
    panel = panels.panel("fieldwork.coverage")
    period = Period(date(2026, 1, 1), date(2026, 2, 1))
    staff = panel.selector(world.users["street"], world.street_a, period)
    assert all(i["url"].startswith("/fieldwork/?place=") for i in staff["items"])
    desk = panel.selector(officer, world.street_a, period)
    assert [i["url"] for i in desk["items"]] == [""] * 5
