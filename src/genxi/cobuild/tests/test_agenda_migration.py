"""The migration that makes an agenda position unique first renumbers the items two
people numbered alike before agenda_add locked the meeting, keeping their order."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from genxi.cobuild.models import AgendaItem

from .test_atomic_writes import _meeting


@pytest.mark.django_db(transaction=True)
def test_clashing_positions_are_renumbered_in_order(world):
    meeting = _meeting(world)  # opens with item 1
    executor = MigrationExecutor(connection)
    target = next(k for k in executor.loader.graph.nodes if k[1].endswith("agenda_position_unique"))
    previous = next(p.key for p in executor.loader.graph.node_map[target].parents)
    executor.migrate([previous])
    old = executor.loader.project_state(previous).apps.get_model("cobuild", "AgendaItem")
    for title in ("甲", "乙", "丙"):  # three people added an item at the same moment
        old.objects.create(meeting_id=meeting.pk, position=2, title=title)
    old.objects.create(meeting_id=meeting.pk, position=3, title="丁")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    rows = list(AgendaItem.objects.filter(meeting=meeting).values_list("position", "title"))
    assert rows == [(1, "听取居民意见"), (2, "甲"), (3, "乙"), (4, "丙"), (5, "丁")]
