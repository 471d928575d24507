"""Field work's counts on the workbench: each is the number of rows of the list it links
to, for the grid worker and the community worker; the no-answer check comes first."""

from __future__ import annotations

import re
from datetime import timedelta
from unittest import mock

from django.utils import timezone

from genxi.core.workbench import work_for
from genxi.fieldwork import services

ROWS = {
    "fieldwork.no_answer": r'<li><a href="/fieldwork/care/\d+/">',
    "fieldwork.care_missed": r'class="list-group-item care-row',
    "fieldwork.plan": r'<li class="list-group-item"><a href="/fieldwork/households/\d+/"[^>]*>',
}


def test_each_count_is_its_list(client, world):
    worker = world.users["grid"]
    world.pioneer(world.grid_a1, "P-W", "先锋", user=worker)
    then = timezone.now() - timedelta(days=20)
    with mock.patch("django.utils.timezone.now", return_value=then):
        late = [
            world.resident(
                world.grid_a1,
                f"老人{i}",
                address=f"彩香新村{i}幢1单元101室",
                tags=["elderly_alone"],
            )
            for i in range(3)
        ]
    world.resident(
        world.grid_a1, "新来的老人", address="彩香新村9幢1单元101室", tags=["elderly_alone"]
    )
    services.care_round_record(actor=worker, resident=late[0], outcome="no_answer")
    services.plan_generate(actor=worker, grid=world.grid_a1, month=timezone.localdate())
    for role in ("grid", "community"):
        user = world.users[role]
        client.force_login(user)
        counts = [c for c in work_for(user) if c.key.startswith("fieldwork.")]
        assert work_for(user)[0].key == "fieldwork.no_answer"
        for count in counts:
            body = client.get(count.url).content.decode()
            assert len(re.findall(ROWS[count.key], body)) == count.count, (role, count)
        shown = {c.key: c.count for c in counts}
        assert shown["fieldwork.no_answer"] == 1 and shown["fieldwork.care_missed"] == 3
    assert "fieldwork.plan" in {c.key for c in work_for(worker)}
