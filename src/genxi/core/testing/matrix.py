"""The permission matrix, as a base class every app's tests reuse.

Subclass `PermissionMatrix`, say how to make one object inside the viewer's scope and one
outside, and name the page and API URLs. The base then checks, for pages and the API:
in scope 200, out of scope 404, anonymous redirected to login (pages) or 401 (API), and
that lists show the inside object and not the outside one.

    class TestResidentMatrix(PermissionMatrix):
        viewer = "community"
        page_detail = "people:resident"
        api_detail = "/api/v1/residents/{pk}"
        ...
        def make_inside(self, world): return world.resident(world.grid_a1, "内")
        def make_outside(self, world): return world.resident(world.grid_b1, "外")
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from .world import World


class PermissionMatrix:
    viewer: str = "community"  # key of world.users that should see the inside object
    page_detail: str | None = None  # URL name taking the pk
    page_list: str | None = None  # URL name of the list page
    api_detail: str | None = None  # path with {pk}
    api_list: str | None = None  # path
    label_attr: str = "name"  # what identifies the object in list output

    def make_inside(self, world: World) -> Any:
        raise NotImplementedError

    def make_outside(self, world: World) -> Any:
        raise NotImplementedError

    @pytest.fixture
    def pair(self, world):
        return self.make_inside(world), self.make_outside(world)

    def _label(self, obj) -> str:
        return str(getattr(obj, self.label_attr))

    # Pages -------------------------------------------------------------------------------

    def test_page_detail(self, client, world, pair):
        if not self.page_detail:
            pytest.skip("no detail page")
        inside, outside = pair
        client.force_login(world.users[self.viewer])
        assert client.get(reverse(self.page_detail, args=[inside.pk])).status_code == 200
        assert client.get(reverse(self.page_detail, args=[outside.pk])).status_code == 404
        assert client.get(reverse(self.page_detail, args=[10**9])).status_code == 404

    def test_page_detail_anonymous(self, client, world, pair):
        if not self.page_detail:
            pytest.skip("no detail page")
        response = client.get(reverse(self.page_detail, args=[pair[0].pk]))
        assert response.status_code == 302
        assert reverse("login") in response["Location"]

    def test_page_list(self, client, world, pair):
        if not self.page_list:
            pytest.skip("no list page")
        inside, outside = pair
        client.force_login(world.users[self.viewer])
        response = client.get(reverse(self.page_list))
        assert response.status_code == 200
        body = response.content.decode()
        assert self._label(inside) in body
        assert self._label(outside) not in body

    def test_page_list_no_role(self, client, world, pair):
        if not self.page_list:
            pytest.skip("no list page")
        client.force_login(world.users["norole"])
        assert client.get(reverse(self.page_list)).status_code == 404

    # API ---------------------------------------------------------------------------------

    def test_api_detail(self, client, world, pair):
        if not self.api_detail:
            pytest.skip("no API")
        inside, outside = pair
        client.force_login(world.users[self.viewer])
        assert client.get(self.api_detail.format(pk=inside.pk)).status_code == 200
        assert client.get(self.api_detail.format(pk=outside.pk)).status_code == 404

    def test_api_anonymous(self, client, world, pair):
        if not self.api_detail:
            pytest.skip("no API")
        assert client.get(self.api_detail.format(pk=pair[0].pk)).status_code == 401
        assert client.get(self.api_list).status_code == 401

    def test_api_list(self, client, world, pair):
        if not self.api_list:
            pytest.skip("no API")
        inside, outside = pair
        client.force_login(world.users[self.viewer])
        data = client.get(self.api_list).json()
        ids = {item["id"] for item in data["items"]}
        assert inside.pk in ids
        assert outside.pk not in ids
        assert data["count"] == len(ids)
