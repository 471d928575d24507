"""The permission matrix for partner units and party organisations."""

from django.urls import reverse

from genxi.core.testing.matrix import PermissionMatrix


class TestUnitMatrixForStreet(PermissionMatrix):
    viewer = "street"
    page_detail = "orgs:unit"
    page_list = "orgs:units"
    api_detail = "/api/v1/units/{pk}"
    api_list = "/api/v1/units"

    def make_inside(self, world):
        return world.objs["unit_a"]

    def make_outside(self, world):
        return world.objs["unit_b"]


class TestUnitMatrixForPairedCommunity(TestUnitMatrixForStreet):
    """A community sees the units paired with it, though they belong to the street."""

    viewer = "community"


class TestUnitMatrixForLiaison(TestUnitMatrixForStreet):
    """A liaison sees its own unit and no other."""

    viewer = "unit"

    def make_outside(self, world):
        return world.unit(world.street_a, "U-A-2", "同街道另一单位", pair_with=[world.a1])


def test_party_tree_is_scoped(client, world):
    client.force_login(world.users["street"])
    body = client.get(reverse("orgs:party")).content.decode()
    assert "金阊大工委" in body
    assert "虎丘大工委" not in body
