"""A residents' representative at a joint meeting is named in full to the host's staff and
masked to a partner unit's liaison, who has no residents in scope."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from genxi.cobuild.services import meeting_create


def test_a_liaison_sees_a_residents_representative_masked(client, world):
    resident = world.resident(world.grid_a1, "王小明")
    meeting = meeting_create(
        actor=world.users["street"],
        host=world.street_a,
        title="共建联席会",
        starts_at=timezone.now() + timedelta(days=3),
        place="党群服务中心",
        units=[world.objs["unit_a"]],
        residents=[resident],
    )
    url = reverse("cobuild:meeting", args=[meeting.pk])

    client.force_login(world.users["unit"])
    body = client.get(url).content.decode()
    assert "甲共建单位" in body
    assert "王**" in body and "王小明" not in body

    client.force_login(world.users["street"])
    assert "王小明" in client.get(url).content.decode()
