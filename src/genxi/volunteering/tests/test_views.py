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


def test_the_boards_period_that_is_not_one_answers_400_naming_it(client, world):
    client.force_login(world.users["community"])
    url = reverse("volunteering:board")
    assert client.get(url, {"month": "2026-03"}).status_code == 200
    assert client.get(url, {"month": "2026-12"}).status_code == 200
    for name, value in (
        ("month", "2026-13"),
        ("month", "三月"),
        ("year", "20x6"),
        ("year", "99999"),
    ):
        answer = client.get(url, {name: value})
        assert answer.status_code == 400, (name, value)
        assert name in answer.content.decode()
    pioneer = world.pioneer(world.grid_a1, "P-V9", "李海棠")
    page = reverse("volunteering:pioneer", args=[pioneer.pk])
    assert client.get(page, {"year": "2025"}).status_code == 200
    assert client.get(page, {"year": "abc"}).status_code == 400
