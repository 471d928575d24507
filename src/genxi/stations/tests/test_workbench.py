"""The stations' part of the workbench: 待审核留言 for whoever moderates, counted off the
moderation queue it links to; the unstaffed shifts, the medicines expiring and the books
overdue, each counted off its list."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from genxi.core.workbench import work_for
from genxi.stations import services
from genxi.stations.domain.hours import parse_day
from genxi.stations.models import BookLoan

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


def test_supplies_and_roster_counts_match_their_lists(client, world):
    """48小时内缺人值班, 临期及过期药品 and 逾期未还图书: the count on the home is the rows of
    the list it links to, for the community worker and the duty volunteer; others get none."""
    here = station(world)
    duty = volunteer(world, here)
    services.duty_pattern_set(
        actor=world.users["community"],
        station=here,
        weekly={d: parse_day("00:00-12:00, 12:00-24:00") for d in range(7)},
    )
    services.medicine_add(
        actor=duty,
        station=here,
        name="创可贴",
        unit="片",
        expiry=timezone.localdate() + timedelta(days=5),
        quantity=3,
    )
    book = services.book_add(actor=duty, station=here, title="活着")
    loan = services.book_lend(actor=duty, copy=book.copies.get(), borrower="王师傅")
    BookLoan.objects.filter(pk=loan.pk).update(due=timezone.localdate() - timedelta(days=1))
    rows = {
        "stations.unstaffed": 'class="list-group-item gap',
        "stations.expiring": '<tr class="medicine',
        "stations.overdue": '<tr class="loan"',
    }
    for user in (world.users["community"], duty):
        work = {w.key: w for w in work_for(user)}
        client.force_login(user)
        for key, marker in rows.items():
            item = work[key]
            assert item.count >= 1, key
            body = client.get(item.url).content.decode()
            assert body.count(marker) == item.count, key
    assert "stations.unstaffed" not in {w.key for w in work_for(world.users["grid"])}
