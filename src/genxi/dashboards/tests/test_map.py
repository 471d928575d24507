"""The density map's case points (cases.panels.case_points): binned on the server, equal to
a direct count for the place, period and category, scoped like the dashboard; in a
browser, the category filter changes the clusters and a cluster leads to its cases."""

import math
from collections import defaultdict
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from genxi.cases import services
from genxi.cases.categories import ensure as ensure_categories
from genxi.cases.models import Case, Category
from genxi.cases.panels import case_points
from genxi.core.panels import Period
from genxi.core.testing.browser import login, screenshot
from genxi.regions.selectors import point_in_tile_datum

# (grid, category, how many, offset in degrees from the grid's corner)
PLANT = [
    ("grid_a1", "ENV.02", 4, 0.0004),
    ("grid_a1", "FAC.02", 2, 0.0012),
    ("grid_a2", "ENV.04", 3, 0.0008),
    ("grid_b1", "ENV.02", 5, 0.0005),
]


@pytest.fixture
def located(world):
    ensure_categories(Category)
    made = []
    for grid_name, code, n, d in PLANT:
        grid = getattr(world, grid_name)
        ring = grid.geometry["coordinates"][0]
        lat0, lon0 = min(p[1] for p in ring), min(p[0] for p in ring)
        for i in range(n):
            made.append(
                services.case_create(
                    actor=None,
                    channel="phone",
                    text=f"小区路面破损严重{i}",
                    lat=lat0 + d + i * 0.00001,
                    lon=lon0 + d,
                    category=Category.objects.get(code=code),
                )
            )
    # and one without a location
    services.case_create(
        actor=None,
        channel="phone",
        text="夜间施工噪音扰民",
        region=world.a1,
        category=Category.objects.get(code="ENV.02"),
    )
    world.objs["located"] = made
    return world


def _period(category=""):
    today = timezone.localdate()
    return Period(today - timedelta(days=29), today + timedelta(days=1), category=category)


@pytest.mark.django_db
@pytest.mark.parametrize("category", ["", "ENV", "FAC"])
def test_points_are_a_direct_count(located, category):
    w = located
    street = w.users["street"]
    for region in (w.street_a, w.a1, w.grid_a2):
        found = case_points(street, region, _period(category))
        cases = Case.objects.filter(region__path__startswith=region.path)
        if category:
            cases = cases.filter(category__code__startswith=f"{category}.")
        assert sum(b[2] for b in found["bins"]) == cases.exclude(lat=None).count()
        assert found["without"] == cases.filter(lat=None).count()
        # every bin's place is under the dashboard's place
        assert all(path.startswith(region.path) for path in found["places"].values())
    assert sum(b[2] for b in case_points(street, w.street_a, _period())["bins"]) == 9


def _grouped(cases):
    """The bins grouped straight from the cases (the old query's answer): squares of about
    100 m, their longitude step fixed at GENXI_MAP_BIN_LAT, each its mean point."""
    step_lat = 100 / 111_320
    step_lon = step_lat / math.cos(math.radians(settings.GENXI_MAP_BIN_LAT))
    sums = defaultdict(lambda: [0, 0.0, 0.0])
    for lat, lon, region_id in cases.exclude(lat=None).values_list("lat", "lon", "region_id"):
        total = sums[(math.floor(lat / step_lat), math.floor(lon / step_lon), region_id)]
        total[0] += 1
        total[1] += lat
        total[2] += lon
    found = []
    for (_i, _j, region_id), (n, lat, lon) in sums.items():
        lat, lon = point_in_tile_datum(lat / n, lon / n)
        found.append([round(lat, 6), round(lon, 6), n, region_id])
    return sorted(found)


@pytest.mark.django_db
@pytest.mark.parametrize("category", ["", "ENV", "ENV.02"])
def test_points_are_the_bins_of_a_direct_grouping(located, category):
    """The roll-up's bins are the bins grouped straight from the cases, point for point,
    also after a case is recategorised (its bin moves with it)."""
    w = located
    street = w.users["street"]
    moved = w.objs["located"][0]
    services.case_act(
        actor=w.users["community"],
        case=moved,
        action="accept",
        category=Category.objects.get(code="FAC.01"),
    )
    for region in (w.street_a, w.a1, w.grid_a1, w.grid_b1):
        cases = Case.objects.filter(region__path__startswith=region.path)
        if category:
            cases = cases.filter(category__code__startswith=category)
        found = case_points(w.users["system_admin"], region, _period(category))
        assert sorted(found["bins"]) == _grouped(cases)
        assert found["without"] == cases.filter(lat=None).count()
    assert sum(b[2] for b in case_points(street, w.street_a, _period("FAC"))["bins"]) == 3


@pytest.mark.django_db
def test_points_are_scoped_like_the_dashboard(located):
    w = located
    assert case_points(w.users["street"], w.street_b, _period())["bins"] == []
    assert case_points(w.users["community"], w.a2, _period())["bins"] == []
    assert case_points(w.users["outsider"], w.street_b, _period())["bins"]


@pytest.mark.django_db
def test_points_read_a_fixed_number_of_queries(located, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        case_points(located.users["street"], located.street_a, _period("ENV"))
    with django_assert_max_num_queries(4):
        case_points(located.users["street"], located.street_a, _period())


@pytest.mark.django_db
def test_the_page_fetches_the_points_after_it_is_drawn_scoped_like_it(located, client):
    """The page itself does not bin the cases (seconds for a street's year at a city's
    size): the map asks `points.json` with the page's period and category."""
    w = located
    client.force_login(w.users["street"])
    page = client.get(f"/dashboards/{w.street_a.code}/?category=ENV").content.decode()
    assert f"/dashboards/{w.street_a.code}/points.json?" in page and "category=ENV" in page
    answer = client.get(f"/dashboards/{w.street_a.code}/points.json", {"category": "ENV"})
    assert answer.status_code == 200 and sum(b[2] for b in answer.json()["bins"]) == 7
    assert answer.json()["without"] == 1
    assert client.get(f"/dashboards/{w.street_b.code}/points.json").status_code == 404
    client.force_login(w.users["norole"])
    assert client.get(f"/dashboards/{w.street_a.code}/points.json").status_code in (403, 404)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_the_map_filters_by_category_and_leads_to_the_cases(request, device, located):
    w = located
    page = request.getfixturevalue(device)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    login(page, w.users["street"].username)
    page.goto(f"/dashboards/{w.street_a.code}/")
    el = page.locator('[data-chart="cases.density"]')
    page.wait_for_selector('[data-chart="cases.density"][data-clusters]')
    assert el.get_attribute("data-cases") == "9"
    page.select_option("#id_category", "ENV")
    page.click("#dashboard-filter button")
    page.wait_for_selector('[data-chart="cases.density"][data-clusters]')
    assert el.get_attribute("data-cases") == "7"
    el.scroll_into_view_if_needed()
    screenshot(page, f"dashboard-map-{device}")
    clusters = page.locator(".map-cluster")
    counts = [int(c) for c in clusters.all_inner_texts()]
    assert sum(counts) == 7
    # the cluster of 彩香一村's grid leads to its 4 ENV cases of the period
    page.locator(".map-cluster", has_text="4").first.click()
    page.wait_for_url("**/cases/**")
    assert "category=ENV" in page.url and f"region={w.grid_a1.code}" in page.url
    assert not errors
