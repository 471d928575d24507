"""The start page's places (found by the walk of the demo, scripts/walk.py)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from genxi.core.roles import Role
from genxi.core.testing.world import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["org_office", "street", "community", "grid"])
def test_every_place_the_start_page_links_opens(client, world, who):
    # The organisation office (cadres only) was offered its street's page and got a 404.
    if who == "org_office":
        user = make_user("zuzhiban", Role.ORG_OFFICE, region=world.street_a)
    else:
        user = world.users[who]
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    assert world.street_a.name in html or world.a1.name in html
    for href in re.findall(r'href="(/regions/\d+/)"', html):
        assert client.get(href).status_code == 200, (who, href)
