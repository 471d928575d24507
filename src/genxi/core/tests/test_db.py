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


@pytest.mark.django_db(transaction=True)
def test_the_one_by_one_fallback_leaves_nothing_behind_without_a_callers_transaction(
    world, monkeypatch
):
    """atomic_unless_one(True, …) trusts insert_with_children to be one statement; when a
    shape it does not know makes it fall back to one row at a time, that fallback is a
    transaction of its own: a refused child takes its parent with it."""
    from genxi.cases.models import Case, CaseEvent
    from genxi.cases.services import new_code
    from genxi.core import db

    monkeypatch.setattr(db, "_referring", lambda *a: None)  # an unknown shape, everywhere
    taken = Case.objects.create(
        code=new_code(), channel="api", title="t", text="楼道堆物", region=world.grid_a1
    )
    code = new_code()
    parent = Case(code=code, channel="api", title="t", text="楼道堆物", region=world.grid_a1)
    clash = CaseEvent(seq=1, action="submit", to_state="submitted")
    CaseEvent.objects.create(case=taken, seq=1, action="submit", to_state="submitted")

    def children_of_the_taken_case(*objs):  # (case, seq) is taken: the child is refused
        for obj in objs:
            obj.case_id = taken.pk
        return insert_together(*objs)

    monkeypatch.setattr(db, "insert_together", children_of_the_taken_case)
    with pytest.raises(IntegrityError), db.atomic_unless_one(True, Case):
        db.insert_with_children(parent, [(clash, "case")])
    assert not Case.objects.filter(code=code).exists()


def test_the_owner_url_must_name_the_apps_database(settings):
    from django.core.exceptions import ImproperlyConfigured

    from genxi.core.db import use_owner_connection

    settings.DATABASE_MIGRATE_URL = ""
    assert use_owner_connection() is False  # one role does everything
    settings.DATABASE_MIGRATE_URL = "postgres://owner@127.0.0.1:5432/another_database"
    with pytest.raises(ImproperlyConfigured, match="DATABASE_MIGRATE_URL"):
        use_owner_connection()


def _compiled(obj):
    from django.db.models.sql import InsertQuery

    model = type(obj)
    fields = [f for f in model._meta.concrete_fields if obj.pk is not None or not f.primary_key]
    query = InsertQuery(model)
    query.insert_values(fields, [obj])
    [(sql, params)] = query.get_compiler(using="default").as_sql()
    return sql, list(params)


def test_a_kept_insert_text_gives_what_the_orm_compiles(world):
    """The second row of a model takes its INSERT text from the process's copy: the same
    text and the same values as the ORM's compiler gives it, JSON, dates, foreign keys,
    nulls and an explicit primary key included."""
    from genxi.cases.models import Case, CaseEvent
    from genxi.cases.services import new_code
    from genxi.core.db import _insert_sql, _insert_texts

    case = Case.objects.create(
        code=new_code(), channel="api", title="t", text="楼道堆物", region=world.grid_a1
    )
    rows = [
        audit.build(actor=world.users["street"], verb="test.one", target=case, after={"x": "甲"}),
        audit.build(actor=None, verb="test.two", before={"n": [1, 2]}),
        CaseEvent(case=case, seq=2, action="note", to_state="submitted", data={"k": "乙"}),
        CaseEvent(case=case, seq=3, action="note", to_state="submitted", actor_label="丙"),
        AuditEvent(pk=10**9, verb="test.pk"),
    ]
    _insert_texts.clear()
    for obj in rows:
        kept = _insert_sql(obj, "default")
        assert (type(obj), "default", obj.pk is not None) in _insert_texts
        sql, params = _compiled(obj)
        assert kept[0] == sql
        assert [getattr(p, "obj", p) for p in kept[1]] == [getattr(p, "obj", p) for p in params]
