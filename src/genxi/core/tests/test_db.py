"""core.db.insert_together: rows as save() would write them, in one statement on
PostgreSQL, and nothing half-written when one of them is refused."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from genxi.core import audit
from genxi.core.db import insert_together
from genxi.core.models import AuditEvent


def test_rows_are_written_with_their_defaults(world):
    user = world.users["street"]
    first = audit.build(actor=user, verb="test.one", target=world.a1, after={"x": "甲"})
    second = audit.build(actor=None, verb="test.two")
    with CaptureQueriesContext(connection) as ctx, transaction.atomic():
        insert_together(first, second)
    inserts = [q for q in ctx.captured_queries if "INSERT" in q["sql"]]
    assert len(inserts) == (1 if connection.vendor == "postgresql" else 2)
    one = AuditEvent.objects.get(verb="test.one")
    assert (one.actor, one.target_id, one.after) == (user, str(world.a1.pk), {"x": "甲"})
    assert one.created_at is not None and AuditEvent.objects.filter(verb="test.two").exists()
    assert not first._state.adding  # it is a saved row now: save() would refuse to change it


def test_a_refused_row_leaves_nothing_behind(world):
    from genxi.cases.models import Case, CaseEvent
    from genxi.cases.services import new_code

    case = Case.objects.create(
        code=new_code(), channel="api", title="t", text="楼道堆物", region=world.grid_a1
    )
    CaseEvent.objects.create(case=case, seq=1, action="submit", to_state="submitted")
    clash = CaseEvent(case=case, seq=1, action="again", to_state="submitted")  # (case, seq) taken
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_together(audit.build(actor=None, verb="test.lost"), clash)
    assert not AuditEvent.objects.filter(verb="test.lost").exists()


def test_the_owner_url_must_name_the_apps_database(settings):
    from django.core.exceptions import ImproperlyConfigured

    from genxi.core.db import use_owner_connection

    settings.DATABASE_MIGRATE_URL = ""
    assert use_owner_connection() is False  # one role does everything
    settings.DATABASE_MIGRATE_URL = "postgres://owner@127.0.0.1:5432/another_database"
    with pytest.raises(ImproperlyConfigured, match="DATABASE_MIGRATE_URL"):
        use_owner_connection()
