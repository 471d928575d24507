"""The permission matrix of partner units, for every role (core/testing/matrix.py); the
party tree's scope."""

from django.urls import reverse

from genxi.core.testing.matrix import IN, STAFF_SIGHT, ListMatrix, ViewMatrix, sight


class TestUnits(ViewMatrix, ListMatrix):
    """A unit belongs to its street; a community sees the units paired with it, a liaison
    its own unit and no other (彩香二村's unit is another unit of street A), a grid worker
    none."""

    page_detail, page_list = "orgs:unit", "orgs:units"
    api_detail, api_list = "/api/v1/units/{pk}", "/api/v1/units"
    sees = sight(STAFF_SIGHT, unit={IN}, grid=())

    def make(self, ctx):
        return ctx.unit  # the unit paired with the side's community


def test_party_tree_is_scoped(client, db, matrix_world):
    world = matrix_world
    client.force_login(world.users["street"])
    body = client.get(reverse("orgs:party")).content.decode()
    assert "金阊大工委" in body
    assert "虎丘大工委" not in body
