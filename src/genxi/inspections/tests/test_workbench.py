"""Inspections' part of the workbench: open and overdue rectification notices for the staff
of a place and department officers, each counted off the list it links to."""

import re

from django.urls import reverse
from django.utils import timezone

from genxi.core.workbench import work_for
from genxi.inspections import services
from genxi.inspections.models import MemberRole, Notice

from .helpers import answer_all, officer, round_, signature, target


def _counts(user):
    return {w.key: w for w in work_for(user) if w.key.startswith("inspections.")}


def _issue(world, name):
    r = round_(
        world,
        [target(world, name)],
        code="shop-fire-safety",
        team=[(world.users["community"], MemberRole.COMMUNITY)],
    )
    inspection = r.inspections.get()
    answer_all(inspection, world.users["community"], fail={5})
    services.inspection_finish(
        actor=world.users["community"],
        inspection=inspection,
        ack_name="店主",
        signature=signature(),
    )
    return inspection.notices.get()


def test_open_and_overdue_notices_are_counted_off_their_lists(client, world):
    _issue(world, "甲商铺")
    late = _issue(world, "乙商铺")
    Notice.objects.filter(pk=late.pk).update(due_at=timezone.now() - timezone.timedelta(hours=1))
    expected = {"community": (2, 1), "street": (2, 1), "outsider": (0, 0)}
    for role, (n_open, n_overdue) in expected.items():
        counts = _counts(world.users[role])
        assert counts["inspections.open"].count == n_open, role
        assert counts["inspections.overdue"].count == n_overdue, role
    assert _counts(officer(world))["inspections.open"].count == 0  # on no team
    for role in ("grid", "unit", "auditor"):
        assert not _counts(world.users[role]), role
    client.force_login(world.users["community"])
    for item in _counts(world.users["community"]).values():
        body = client.get(item.url).content.decode()
        assert len(re.findall(r'<tr class="notice">', body)) == item.count
    assert 'data-key="inspections.overdue"' in client.get(reverse("home")).content.decode()
