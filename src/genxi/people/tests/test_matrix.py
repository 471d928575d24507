"""The permission matrix for people: residents and pioneers, pages and API."""

from genxi.core.testing.matrix import PermissionMatrix


class TestResidentMatrix(PermissionMatrix):
    viewer = "community"
    page_detail = "people:resident"
    page_list = "people:residents"
    api_detail = "/api/v1/residents/{pk}"
    api_list = "/api/v1/residents"

    def make_inside(self, world):
        return world.resident(world.grid_a1b, "内部居民")

    def make_outside(self, world):
        return world.resident(world.grid_b1, "外部居民")


class TestResidentMatrixForGridWorker(TestResidentMatrix):
    viewer = "grid"

    def make_inside(self, world):
        return world.resident(world.grid_a1, "本网格居民")

    def make_outside(self, world):
        # Same community, another grid: outside a grid worker's scope.
        return world.resident(world.grid_a1b, "邻网格居民")


class TestResidentMatrixForUnitLiaison(TestResidentMatrix):
    """A partner unit's liaison sees no residents at all."""

    viewer = "unit"
    page_list = None

    def make_inside(self, world):  # pragma: no cover - not reachable for this viewer
        return None

    def test_page_detail(self, client, world):
        resident = world.resident(world.grid_a1, "居民")
        client.force_login(world.users["unit"])
        assert client.get(f"/people/residents/{resident.pk}/").status_code == 404
        assert client.get(f"/api/v1/residents/{resident.pk}").status_code == 404
        assert client.get("/people/residents/").status_code == 404
        assert client.get("/api/v1/residents").json()["count"] == 0

    test_page_detail_anonymous = test_api_detail = test_api_list = test_api_anonymous = None


class TestPioneerMatrix(PermissionMatrix):
    viewer = "street"
    page_detail = "people:pioneer"
    page_list = "people:pioneers"
    api_detail = "/api/v1/pioneers/{pk}"
    api_list = "/api/v1/pioneers"

    def make_inside(self, world):
        return world.pioneer(world.grid_a2, "P-IN", "金阊先锋")

    def make_outside(self, world):
        return world.pioneer(world.grid_b1, "P-OUT", "虎丘先锋")
