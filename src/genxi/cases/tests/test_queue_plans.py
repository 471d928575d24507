"""The queues read by place (decision 0039) return the rows they returned before: for every
viewer and every filter — state, category, overdue, due soon, flagged, dispatch, mine, a
short and a long search — the same cases in the same order (flagged open cases first, then
the newest, then the id), page after page by cursor both ways. The reference is written
here independently: the scope as `visible_to` reads it (a semi-join on the places' paths),
each filter in Python over the rows, the order as a Python sort."""

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from genxi.cases import selectors, services
from genxi.cases.domain.states import FINAL
from genxi.cases.models import Case, CaseState, Category
from genxi.core.pagination import seek_page

from .test_search_pages import _walk

VIEWERS = ("street", "community", "grid", "system_admin", "outsider")
STATES = [str(s) for s in CaseState]
OPEN = {s for s in STATES if s not in {str(f) for f in FINAL}}
UNRESOLVED = OPEN - {CaseState.RESOLVED, CaseState.VERIFIED}
HOUR = timedelta(hours=1)


def _filters() -> list[dict]:
    found: list[dict] = [{}]
    found += [{"queue": q} for q in selectors.QUEUES if q != "all"]
    found += [{"state": s} for s in STATES]
    found += [{"category": "ENV"}, {"category": "FAC.02"}]
    found += [{"state": CaseState.IN_PROGRESS, "category": "ENV"}]
    found += [{"queue": "dispatch", "state": CaseState.ACCEPTED}]
    found += [{"queue": "overdue", "category": "ENV"}, {"queue": "flagged", "state": "closed"}]
    found += [{"q": "杂物"}, {"q": "灯"}, {"q": "堆满了杂物"}, {"q": "路灯不亮"}]
    return found


def _load(world, seed: int) -> list[Case]:
    """40 cases over four places, every state, flagged or not, some handled by the grid
    worker, deadlines past and coming, received over 200 days (two the same minute)."""
    rng = random.Random(seed)
    places = [world.grid_a1, world.grid_a1b, world.grid_a2, world.grid_b1, world.a1]
    categories = list(Category.objects.filter(code__in=["ENV", "ENV.02", "FAC.02", "PROP.01"]))
    texts = ["楼道里堆满了杂物", "小区路灯不亮了", "物业服务太差了", "路面破损需要修补"]
    start = timezone.now().replace(microsecond=0)
    Case.objects.all().delete()
    made: list[tuple[int, int]] = []
    for i in range(40):
        case = services.case_create(
            actor=world.users["street"],
            channel="phone",
            text=f"{rng.choice(texts)},第{i}件",
            region=rng.choice(places),
            address="彩香一村12幢",
        )
        minutes = rng.randrange(0, 200 * 24 * 60) if i != 7 else made[-1][1]
        deadline = rng.choice([None, -48, -2, 2, 12, 48])
        update = {
            "created_at": start - timedelta(minutes=minutes),
            "state": rng.choice(STATES),
            "flagged": rng.random() < 0.3,
            "category": rng.choice(categories),
            "level": rng.choice(["grid", "community", "street"]),
            "handler": world.users["grid"] if rng.random() < 0.2 else None,
            "resolve_by": None if deadline is None else start + deadline * HOUR,
        }
        Case.objects.filter(pk=case.pk).update(**update)
        made.append((case.pk, minutes))
    return list(Case.objects.select_related("category"))


def _expected(world, who: str, rows: list[Case], filters: dict) -> list[str]:
    user = world.users[who]
    visible = set(Case.objects.visible_to(user).values_list("pk", flat=True))
    now = timezone.now()
    street_dispatch = who in ("street", "system_admin", "outsider")
    queue, state, category, q = (filters.get(k, "") for k in ("queue", "state", "category", "q"))
    since = now - timedelta(days=selectors.SHORT_SEARCH_DAYS) if 0 < len(q) < 3 else None

    def keeps(c: Case) -> bool:
        by_queue = {
            "": True,
            "mine": c.handler_id == user.pk and c.state in UNRESOLVED,
            "dispatch": c.state in ("submitted", "accepted")
            and (street_dispatch or c.level != "street"),
            "escalated": c.level == "street" and c.state in OPEN,
            "assist": False,  # nobody assists here
            "due_soon": c.state in UNRESOLVED
            and c.resolve_by is not None
            and now <= c.resolve_by < now + selectors.DUE_SOON,
            "overdue": c.state in UNRESOLVED and c.resolve_by is not None and c.resolve_by < now,
            "flagged": c.flagged and c.state in OPEN,
        }[queue]
        code = c.category.code if c.category else ""
        return (
            c.pk in visible
            and by_queue
            and (not state or c.state == state)
            and (not category or code == category or code.startswith(category + "."))
            and (not q or q in c.title or q in c.text or q.upper() == c.code)
            and (since is None or c.created_at >= since)
        )

    kept = [c for c in rows if keeps(c)]
    kept.sort(key=lambda c: (c.flagged and c.state in OPEN, c.created_at, c.pk), reverse=True)
    return [c.code for c in kept]


@pytest.mark.parametrize("seed", [1, 2])
def test_every_queue_returns_the_same_rows_in_the_same_order(loop, seed):
    rows = _load(loop, seed)
    checked = 0
    for who in VIEWERS:
        for filters in _filters():
            expected = _expected(loop, who, rows, filters)
            qs = selectors.case_list(user=loop.users[who], **filters)
            assert [c.code for c in qs] == expected, (who, filters)
            # Page by page by cursor, forwards and back from the last page.
            assert _walk(qs, 3, backwards_from_end=True) == expected, (who, filters)
            checked += bool(expected)
    assert checked > 60  # most combinations hold rows


def test_the_workbench_counts_are_the_queues_lengths(loop):
    """The workbench nests the queues in one query (not read by place): its counts are the
    queues' lengths."""
    _load(loop, 3)
    for who in ("street", "community", "grid"):
        user = loop.users[who]
        counts = {c.key: c.count for c in selectors.work_counts(user)}
        assert counts["cases.overdue"] == len(selectors.case_list(user=user, queue="overdue"))
        assert counts["cases.mine"] == len(selectors.case_list(user=user, queue="mine"))
        if "cases.flagged" in counts:
            assert counts["cases.flagged"] == len(selectors.case_list(user=user, queue="flagged"))


@pytest.mark.parametrize(
    "filters",
    [
        {"queue": "dispatch"},
        {"queue": "escalated"},
        {"queue": "overdue"},
        {"queue": "due_soon"},
        {"queue": "flagged"},
        {"state": "in_progress", "category": "ENV"},
    ],
)
def test_the_open_queues_name_their_states(loop, filters):
    """The queues of open cases name the states they keep (`state IN (…)`, never `NOT
    state IN (…)`): PostgreSQL proves from that alone that the partial indexes on the open
    cases by place (`case_open_region`, `case_open_deadline`) hold the rows (decision 0039).
    Sorted on an expression, they cannot walk the order index; on PostgreSQL the plan
    sorts what it read by place."""
    _load(loop, 4)
    qs = selectors.case_list(user=loop.users["street"], **filters)
    where = str(qs.query).split(" WHERE ", 1)[1].split(" ORDER BY ")[0]
    named = '"cases_case"."state" IN (' in where or '"cases_case"."state" = ' in where
    assert named and 'NOT ("cases_case"."state"' not in where, where
    assert [c.code for c in qs] == _expected(loop, "street", list(Case.objects.all()), filters)
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for scan in ("seqscan", "indexscan", "indexonlyscan"):  # a bitmap scan is left
            cursor.execute(f"SET LOCAL enable_{scan} = off")
        plan = qs.all()[:51].explain()
    assert "Sort" in plan and "case_queue_pinned" not in plan, plan


def test_a_small_scope_pages_like_a_wide_one(loop):
    """A community worker's list (few places: sorted, decision 0039) and the street admin's
    (the order index) page alike: the same order, and a cursor from either list's keys."""
    _load(loop, 5)
    community = selectors.case_list(user=loop.users["community"])
    street = selectors.case_list(user=loop.users["street"])
    codes = {c.code for c in community}
    assert [c.code for c in street if c.code in codes] == [c.code for c in community]
    first = seek_page(community, per_page=2)
    assert first.has_next
    second = seek_page(community, after=first.next_cursor, per_page=2)
    assert [c.code for c in second] == [c.code for c in community][2:4]
