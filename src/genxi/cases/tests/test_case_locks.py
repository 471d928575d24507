"""A merge decides on the master as it is now, under its lock: never into a case that was
merged meanwhile, and two merges crossing each other (A into B, B into A) end with one
merged and one refused — no cycle, no deadlock."""

import pytest
from django.core.exceptions import ValidationError

from genxi.cases import services
from genxi.cases.models import Case, CaseState
from genxi.core.testing.race import needs_postgres, race


def _new(loop, n):
    return services.case_create(
        actor=loop.users["community"],
        channel="phone",
        text=f"第{n}件:彩香新村5幢楼道堆了很多杂物",
        region=loop.grid_a1,
    )


def _merge(loop, case, master):
    return services.case_act(
        actor=loop.users["community"], case=case, action="merge", master=master
    )


def test_no_merge_into_a_case_merged_meanwhile(loop):
    first, second, third = _new(loop, 1), _new(loop, 2), _new(loop, 3)
    stale = Case.objects.get(pk=second.pk)  # read, say, when the page was opened
    _merge(loop, second, third)
    with pytest.raises(ValidationError) as exc:
        _merge(loop, first, stale)
    assert "master" in exc.value.message_dict
    assert Case.objects.get(pk=first.pk).state == CaseState.SUBMITTED


@pytest.mark.django_db(transaction=True)
def test_merges_crossing_each_other(loop):
    needs_postgres()
    for n in range(4):
        a, b = _new(loop, 2 * n), _new(loop, 2 * n + 1)
        outcome = race([lambda a=a, b=b: _merge(loop, a, b), lambda a=a, b=b: _merge(loop, b, a)])
        assert not outcome.errors, outcome.errors
        assert len(outcome.done) == 1 and len(outcome.refused) == 1
        states = sorted(Case.objects.filter(pk__in=[a.pk, b.pk]).values_list("state", flat=True))
        assert states == [CaseState.MERGED, CaseState.SUBMITTED]


@pytest.mark.django_db(transaction=True)
def test_a_transition_locks_its_case_not_its_grid(loop):
    """While one case of a grid is being acted on, the grid's row stays free (another case
    in the grid, or an edit of the grid, does not queue behind it)."""
    import threading

    from django.db import DatabaseError, connection, transaction

    from genxi.regions.models import Region

    needs_postgres()
    case = _new(loop, 1)
    acting, checked = threading.Event(), threading.Event()
    seen: list[str] = []

    def act():
        try:
            with transaction.atomic():
                services.case_act(actor=loop.users["community"], case=case, action="accept")
                acting.set()
                checked.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=act)
    thread.start()
    try:
        assert acting.wait(10)
        with transaction.atomic():
            try:
                Region.objects.select_for_update(nowait=True).get(pk=loop.grid_a1.pk)
                seen.append("free")
            except DatabaseError:
                seen.append("locked")
    finally:
        checked.set()
        thread.join()
    assert seen == ["free"]
