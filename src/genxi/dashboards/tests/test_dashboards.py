"""The dashboards' figures are the statistics page's (`metrics()`), the direct count's and
`genxi stats --json`'s; every panel answers on every level; each dashboard is the viewer's
own area only (anything else is a 404); a figure leads to the cases behind it."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from genxi.cases import panels as case_panels
from genxi.cases import rollups, selectors
from genxi.cases.domain.rollup import COUNTS
from genxi.cases.models import Case, CaseRollup
from genxi.core.panels import Period, all_panels, answer, panels_for
from genxi.dashboards.forms import PeriodForm

pytestmark = pytest.mark.django_db

RATES = (
    "response_rate",
    "on_time_response_rate",
    "on_time_resolution_rate",
    "resolution_rate",
    "satisfaction_rate",
    "rework_rate",
    "return_rate",
    "extension_rate",
    "avg_handling_hours",
)


def _today() -> Period:
    today = timezone.localdate()
    return Period(today - timedelta(days=6), today + timedelta(days=1))


def _bounds(period: Period):
    return selectors.received_between(period.start, period.end - timedelta(days=1))


@pytest.mark.parametrize("who", ["street", "community", "system_admin"])
@pytest.mark.parametrize("category", ["", "ENV", "FAC"])
def test_figures_equal_the_statistics_page_and_a_direct_count(cases, who, category):
    w = cases
    user = w.users[who]
    for place in (w.street_a, w.a1, w.grid_a1):
        if who == "community" and place == w.street_a:
            continue  # not its area (the page answers 404: below)
        period = Period(_today().start, _today().end, category=category)
        shown = case_panels.figures(user, place, period)
        expected = selectors.metrics(
            user=user, region=place.code, category=category, **_bounds(period)
        )
        assert {k: shown[k] for k in RATES} == {k: expected[k] for k in RATES}
        assert shown["counts"] == {k: expected["counts"][k] for k in COUNTS}
        direct = Case.objects.filter(region__path__startswith=place.path)
        if category:
            direct = direct.filter(category__code__startswith=category)
        assert shown["counts"]["received"] == direct.count()
    figures = case_panels.figures(w.users["street"], w.street_a, _today())
    assert figures["counts"]["received"] == 9 and figures["counts"]["resolved"] == 1
    assert figures["satisfaction_rate"] == 1.0


def test_figures_equal_genxi_stats(cases):
    w = cases
    out = io.StringIO()
    call_command("stats", "--json", stdout=out)
    streets = json.loads(out.getvalue())["streets"]
    admin = w.users["system_admin"]
    for street in (w.street_a, w.street_b):
        by_state = streets[street.name]["cases"]
        figures = case_panels.figures(admin, street, _today())
        assert figures["counts"]["received"] == sum(by_state.values())
        assert figures["counts"]["closed"] == by_state["closed"]
        assert (
            figures["counts"]["valid"]
            == sum(by_state.values()) - by_state["rejected"] - by_state["merged"]
        )


def test_rollups_rebuilt_answer_the_same(cases):
    w = cases
    before = [answer(p, w.users["street"], w.street_a, _today()) for p in panels_for("street")]
    rollups.rebuild()
    after = [answer(p, w.users["street"], w.street_a, _today()) for p in panels_for("street")]
    assert before == after
    assert CaseRollup.objects.count() > 0


def test_every_panel_answers_on_every_level(cases):
    w = cases
    keys = [p.key for p in all_panels()]
    assert len(keys) == len(set(keys))
    for level, place in (("street", w.street_a), ("community", w.a1), ("grid", w.grid_a1)):
        for p in panels_for(level):
            found = answer(p, w.users["street"], place, _today())
            assert found["chart"] in ("line", "bar", "pie", "ranking", "figures", "map")
            json.dumps(found)  # the page's JSON block
    ranking = case_panels.ranking(w.users["street"], w.street_a, _today())
    assert [r["name"] for r in ranking["rows"]] == sorted(
        [w.a1.name, w.a2.name], key=[r["name"] for r in ranking["rows"]].index
    )
    assert {r["name"]: r["received"] for r in ranking["rows"]} == {w.a1.name: 6, w.a2.name: 3}
    now = {
        i["label"]: i["value"] for i in case_panels.now(w.users["street"], w.a1, _today())["items"]
    }
    assert now["督办中"] == 1 and now["上报街道未结"] == 1
    volume = case_panels.volume(w.users["street"], w.street_a, _today())
    assert sum(volume["series"][0]["data"]) == 9 and sum(volume["series"][1]["data"]) == 0
    levels = case_panels.levels(w.users["street"], w.street_a, _today())
    assert levels["series"][0]["data"] == [1, 8, 1]  # to a grid, valid, escalated


def test_scope_a_community_worker_sees_only_its_community(client, cases):
    w = cases
    client.force_login(w.users["community"])
    assert client.get(reverse("dashboards:region", args=[w.street_a.code])).status_code == 404
    assert client.get(reverse("dashboards:region", args=[w.a2.code])).status_code == 404
    assert client.get(reverse("dashboards:region", args=[w.b1.code])).status_code == 404
    assert client.get(reverse("dashboards:region", args=["999999999999"])).status_code == 404
    own = client.get(reverse("dashboards:region", args=[w.a1.code]))
    assert own.status_code == 200
    assert w.a2.name not in own.content.decode() and w.street_b.name not in own.content.decode()
    home = client.get(reverse("dashboards:home"))
    assert home.status_code == 302 and home.url == reverse("dashboards:region", args=[w.a1.code])
    client.force_login(w.users["grid"])
    assert client.get(reverse("dashboards:region", args=[w.a1.code])).status_code == 404
    assert client.get(reverse("dashboards:region", args=[w.grid_a1.code])).status_code == 200
    client.force_login(w.users["unit"])
    assert client.get(reverse("dashboards:home")).status_code == 404


def test_the_street_drills_down_to_the_cases_behind_a_figure(
    client, cases, django_assert_max_num_queries
):
    w = cases
    client.force_login(w.users["street"])
    url = reverse("dashboards:region", args=[w.street_a.code])
    # 46 measured with the 为民服务 section (ten panels of events/ and campaigns/panels.py,
    # about two queries each, whatever the number of rows): 50.
    with django_assert_max_num_queries(50):
        page = client.get(url)
    html = page.content.decode()
    community = reverse("dashboards:region", args=[w.a1.code])
    assert f'href="{community}?' in html  # the community's own dashboard
    page = client.get(community)
    assert f'href="{reverse("dashboards:region", args=[w.grid_a1.code])}?' in page.content.decode()
    # The received count leads to the queue filtered by place and days received.
    headline = case_panels.headline(w.users["street"], w.a1, _today())["items"][0]
    listed = client.get(headline["url"])
    assert listed.status_code == 200
    assert len(listed.context["page"].object_list) == headline["value"] == 6
    # A day before the period: nothing.
    before = _today().start - timedelta(days=3)
    empty = client.get(
        reverse("cases:queue"),
        {"region": w.a1.code, "since": before.isoformat(), "until": before.isoformat()},
    )
    assert len(empty.context["page"].object_list) == 0


def test_a_bad_period_is_said_on_its_field(client, cases):
    w = cases
    client.force_login(w.users["street"])
    page = client.get(
        reverse("dashboards:region", args=[w.street_a.code]),
        {"from": "2026-05-10", "to": "2026-05-01"},
    )
    assert page.status_code == 200
    assert "结束日期不能早于开始日期" in page.content.decode()
    form = PeriodForm({"from": "2026-01-01", "to": "2026-03-31", "grain": "week"})
    period = form.period()
    assert (period.start.isoformat(), period.end.isoformat(), period.grain) == (
        "2026-01-01",
        "2026-04-01",
        "week",
    )
    assert period.last_year().start.isoformat() == "2025-01-01"


def test_the_menu_and_the_home_lead_to_the_dashboard(client, cases):
    w = cases
    for role, shown in (("street", True), ("community", True), ("grid", True), ("unit", False)):
        client.force_login(w.users[role])
        html = client.get("/").content.decode()
        assert (reverse("dashboards:home") in html) == shown, role


def test_the_kept_outlines_follow_a_changed_grid(cases):
    """The density map keeps the grids' outlines shifted between requests (by grid and last
    change): a second page reads none, and a grid changed through its service is drawn with
    its new outline at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from genxi.core.memo import clear_all
    from genxi.regions import services as region_services
    from genxi.regions.selectors import in_tile_datum

    w = cases
    user = w.users["system_admin"]
    clear_all()
    shape = {
        "type": "Polygon",
        "coordinates": [[[120.59, 31.32], [120.6, 31.32], [120.6, 31.33], [120.59, 31.32]]],
    }
    region_services.region_update(actor=user, region=w.grid_a1, geometry=shape)
    first = case_panels.density(user, w.street_a, _today())

    def of_grid(features):
        mark = f"/{w.grid_a1.code}/"
        return next(f for f in features if mark in f["properties"]["url"])

    assert of_grid(first["features"])
    with CaptureQueriesContext(connection) as ctx:
        again = case_panels.density(user, w.street_a, _today())
    assert again == first
    assert ctx.captured_queries  # (the counts are read again: not kept)
    assert not [q for q in ctx.captured_queries if "geometry" in q["sql"]]  # the outlines are
    moved = {
        "type": "Polygon",
        "coordinates": [[[120.61, 31.34], [120.62, 31.34], [120.62, 31.35], [120.61, 31.34]]],
    }
    region_services.region_update(actor=user, region=w.grid_a1, geometry=moved)
    after = case_panels.density(user, w.street_a, _today())
    drawn = of_grid(after["features"])
    expected = in_tile_datum(
        {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": moved}]}
    )["features"][0]["geometry"]
    assert (
        drawn["geometry"]
        == expected
        != next(f for f in first["features"] if w.grid_a1.name in f["properties"]["name"])[
            "geometry"
        ]
    )
