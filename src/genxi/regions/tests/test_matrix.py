"""The permission matrix of grids, for every role (core/testing/matrix.py); the tree, map
and boundaries' scope."""

from django.urls import reverse

from genxi.core.testing.matrix import STAFF_SIGHT, ListMatrix, ViewMatrix


class TestGrids(ViewMatrix, ListMatrix):
    page_detail = "regions:detail"
    api_detail, api_list = "/api/v1/grids/{pk}", "/api/v1/grids"
    sees = STAFF_SIGHT

    def make(self, ctx):
        return ctx.grid


def test_tree_shows_only_scope(client, db, matrix_world):
    world = matrix_world
    client.force_login(world.users["street"])
    body = client.get(reverse("regions:tree")).content.decode()
    assert "彩香一村社区" in body and "观景社区" not in body


def test_geojson_is_scoped(client, db, matrix_world):
    world = matrix_world
    client.force_login(world.users["community"])
    data = client.get(reverse("regions:geojson")).json()
    codes = {f["properties"]["code"] for f in data["features"]}
    assert codes == {world.grid_a1.code, world.grid_a1b.code}
    other = client.get(reverse("regions:geojson"), {"community": world.b1.code})
    assert other.status_code == 404


def test_map_page(client, db, matrix_world):
    world = matrix_world
    client.force_login(world.users["community"])
    response = client.get(reverse("regions:map"))
    assert response.status_code == 200
    assert b"vendor/leaflet/leaflet.js" in response.content
    assert b"//unpkg" not in response.content and b"cdn" not in response.content.lower()
