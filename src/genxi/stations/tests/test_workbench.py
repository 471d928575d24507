"""The stations' part of the workbench: 待审核留言 for whoever moderates, counted off the
moderation queue it links to."""

import re

from django.urls import reverse

from genxi.core.workbench import work_for
from genxi.stations import services

from .helpers import station, volunteer


def _count(user):
    return {w.key: w for w in work_for(user)}.get("stations.reflections")


def test_pending_reflections_for_those_who_moderate(client, world):
    here = station(world)
    there = station(world, name="观景驿站", community=world.b1, grid=world.grid_b1)
    duty = volunteer(world, here)
    for text in ("谢谢", "热水真好"):
        services.reflection_create(station=here, text=text)
    services.reflection_create(station=there, text="很方便")
    expected = {"community": 2, "street": 2, "outsider": 1}
    for role, n in expected.items():
        assert _count(world.users[role]).count == n, role
    assert _count(duty).count == 2
    for role in ("grid", "unit", "system_admin", "auditor"):
        assert _count(world.users[role]) is None, role  # they do not moderate
    for user in (world.users["community"], world.users["outsider"], duty):
        item = _count(user)
        client.force_login(user)
        body = client.get(item.url).content.decode()
        assert int(re.search(r"共 (\d+) 条", body).group(1)) == item.count
        assert len(re.findall(r'class="list-group-item reflection"', body)) == item.count
        assert (
            f'href="{item.url}" data-key="stations.reflections"'
            in client.get(reverse("home")).content.decode()
        )
