"""The hours list's refusals (found by the walk of the demo, scripts/walk.py)."""

import pytest
from django.urls import reverse

from genxi.volunteering import services
from genxi.volunteering.models import HoursRecord

from .helpers import saturday, served_shift

pytestmark = pytest.mark.django_db


def test_a_record_decided_meanwhile_says_so_naming_the_pioneer_and_field(client, world):
    # Two tabs on one record: the second confirm used to answer a 400 list with no word of
    # why (the record had left the list of those waiting, and its row with the reason).
    pioneer = world.pioneer(world.grid_a1, "P-V1", "李海棠")
    served_shift(pioneer, day=saturday(2026))
    services.collect()
    record = HoursRecord.objects.get()
    client.force_login(world.users["community"])
    url = reverse("volunteering:act", args=[record.pk, "confirm"])
    assert client.post(url, {"hours": "4"}).status_code == 302
    again = client.post(url, {"hours": "4"})
    html = again.content.decode()
    assert again.status_code == 400
    assert 'id="refusals"' in html and 'data-error-for="hours"' in html
    assert "李海棠 · 时长(小时):这条记录已经处理过了。" in html
