"""Text search and seek pagination of the queues (decision 0032): the search finds a title's
substring on both backends (on PostgreSQL through the trigram indexes), a queue's pages by
cursor skip and repeat nothing whatever the ties, the scope holds on every page, and the
API's list pages by cursor as well as by number."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from genxi.cases import selectors, services
from genxi.cases.models import Case, CaseState
from genxi.core import pagination
from genxi.core.pagination import (
    capped_count,
    decode_cursor,
    encode_cursor,
    read_cursor,
    seek,
    seek_page,
)


def _case(world, text, grid=None, **update):
    case = services.case_create(
        actor=world.users["street"],
        channel="phone",
        text=text,
        region=grid or world.grid_a1,
        address="彩香一村12幢",
    )
    if update:
        Case.objects.filter(pk=case.pk).update(**update)
        case.refresh_from_db()
    return case


def _codes(cases) -> list[str]:
    return [c.code for c in cases]


def test_the_search_finds_a_titles_substring_and_a_code(loop):
    heap = _case(loop, "楼道里堆满了杂物,请尽快处理")
    lamp = _case(loop, "小区门口的路灯不亮了")
    street = loop.users["street"]

    def found(q):
        return set(_codes(selectors.case_list(user=street, q=q)))

    assert found("堆满了杂") == {heap.code}  # three characters and more: the trigrams
    assert found("路灯") == {lamp.code}  # two characters: found as well
    assert found("灯") == {lamp.code}
    assert found("尽快处理") == {heap.code}  # the report's text, not only the title
    assert found(lamp.code.lower()) == {lamp.code}  # the code, in any case
    assert found("彩香一村12幢") == set()  # the address is encrypted: never searched
    assert found("下水道") == set()


def test_the_search_keeps_the_scope(loop):
    mine = _case(loop, "楼道里堆满了杂物")
    elsewhere = _case(loop, "楼道里堆满了杂物", grid=loop.grid_b1)
    assert _codes(selectors.case_list(user=loop.users["community"], q="堆满了")) == [mine.code]
    outsider = selectors.case_list(user=loop.users["outsider"], q="堆满了")
    assert _codes(outsider) == [elsewhere.code]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes: PostgreSQL")
def test_the_search_can_use_the_trigram_indexes(loop):
    """With only bitmap scans left to the planner, the plan of the queue's search names the
    trigram indexes: the SQL `icontains` writes is the indexes' expression. (The system
    admin's: a scope of a few places is read by place first, decision 0039, and on a table
    of one row its index alone wins.)"""
    _case(loop, "楼道里堆满了杂物")
    qs = selectors.case_list(user=loop.users["system_admin"], q="堆满了").order_by()
    with connection.cursor() as cursor:
        for scan in ("seqscan", "indexscan", "indexonlyscan"):  # a bitmap scan is left
            cursor.execute(f"SET LOCAL enable_{scan} = off")
        plan = qs.explain()
    assert "case_title_trgm" in plan and "case_text_trgm" in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the order index: PostgreSQL")
def test_a_page_after_a_cursor_seeks_in_the_queue_index(loop):
    """The row comparison of a page after a cursor is an index condition on the queues'
    order index (not a filter after reading from the start)."""
    case = _case(loop, "楼道里堆满了杂物")
    _case(loop, "楼道里堆满了杂物")
    qs = selectors.case_list(user=loop.users["system_admin"])
    first = seek_page(qs, per_page=1)
    assert first.has_next and _codes(first) != [case.code]
    after = seek(qs, decode_cursor(first.next_cursor, 3))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        plan = after[:50].explain()
    assert "case_queue_pinned" in plan and "Index Cond" in plan, plan


def test_a_cursor_round_trips_and_a_forged_one_is_refused():
    now = timezone.now()
    token = encode_cursor([True, now, 42])
    assert decode_cursor(token, 3) == [True, now, 42]
    assert decode_cursor(token, 2) is None
    for forged in ("", "!!!", "bm90IGpzb24", encode_cursor([1, 2])):
        assert decode_cursor(forged, 3) is None


def test_a_cursor_of_the_wrong_types_is_refused(loop):
    qs = selectors.case_list(user=loop.users["street"])
    now = timezone.now()
    assert read_cursor(qs, encode_cursor([False, now, 7])) == [False, now, 7]
    for values in (
        ["x", now, 7],  # a string for the boolean
        [False, now.replace(tzinfo=None), 7],  # a naive time
        [False, now, 2**63],  # beyond a 64-bit integer
        [False, now, True],
        [False, "2026-01-01", 7],
    ):
        assert read_cursor(qs, encode_cursor(values)) is None, values


def test_the_count_stops_at_the_cap(loop):
    for _ in range(3):
        _case(loop, "楼道里堆满了杂物")
    qs = selectors.case_list(user=loop.users["street"])
    assert capped_count(qs, 5) == (3, False)
    assert capped_count(qs, 3) == (3, False)
    assert capped_count(qs, 2) == (2, True)


# Pages by cursor: a property over random orderings with ties ---------------------------

ROWS = st.lists(
    st.tuples(
        st.integers(0, 3),  # the minute received: many ties
        st.booleans(),  # 督办
        st.sampled_from([CaseState.SUBMITTED, CaseState.DISPATCHED, CaseState.CLOSED]),
        st.booleans(),  # in street B (out of the community worker's scope)
    ),
    min_size=0,
    max_size=20,
)


def _make(world, rows) -> None:
    start = timezone.now().replace(microsecond=0) - timedelta(days=1)
    Case.objects.all().delete()
    for i, (minute, flagged, state, far) in enumerate(rows):
        case = _case(world, f"第{i}件事情要处理", grid=world.grid_b1 if far else world.grid_a1)
        Case.objects.filter(pk=case.pk).update(
            created_at=start + timedelta(minutes=minute), flagged=flagged, state=state
        )


def _walk(qs, per_page: int, backwards_from_end: bool = False) -> list[str]:
    seen, page, guard = [], seek_page(qs, per_page=per_page), 0
    while True:
        seen += _codes(page)
        if not page.has_next:
            break
        page = seek_page(qs, after=page.next_cursor, per_page=per_page)
        guard += 1
        assert guard < 100
    if not backwards_from_end:
        return seen
    back = list(_codes(page))
    while page.has_previous:
        page = seek_page(qs, before=page.previous_cursor, per_page=per_page)
        back = _codes(page) + back
        guard += 1
        assert guard < 200
    assert back == seen  # back from the last page, the same rows in the same order
    return seen


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=ROWS, per_page=st.integers(1, 6))
def test_pages_by_cursor_skip_and_repeat_nothing(loop, rows, per_page):
    _make(loop, rows)
    for who in ("street", "community", "system_admin"):
        qs = selectors.case_list(user=loop.users[who])
        everything = _codes(qs)
        assert _walk(qs, per_page, backwards_from_end=True) == everything
        # A short search orders on an expression (decision 0037): its pages hold the same
        # rows in the same order as the list they are found in.
        short = selectors.case_list(user=loop.users[who], q="事情")
        assert _walk(short, per_page, backwards_from_end=True) == everything
    # The community worker's pages hold its own cases only (street B's never appear).
    walked = _walk(selectors.case_list(user=loop.users["community"]), per_page)
    regions = dict(Case.objects.values_list("code", "region_id"))
    assert all(regions[code] != loop.grid_b1.pk for code in walked)


def test_a_forged_cursor_cannot_reach_out_of_scope(loop):
    far = _case(loop, "街道乙的事", grid=loop.grid_b1)
    qs = selectors.case_list(user=loop.users["community"])
    token = encode_cursor([True, timezone.now() + timedelta(days=1), far.pk + 1])
    assert far.code not in _codes(seek_page(qs, after=token))
    assert far.code not in _codes(seek_page(qs, before=encode_cursor([False, far.created_at, 0])))


def test_the_queue_page_links_its_pages_by_cursor(client, loop, monkeypatch):
    made = [_case(loop, f"第{i}件杂物") for i in range(3)]
    newest_first = [c.code for c in reversed(made)]
    monkeypatch.setattr(pagination, "PAGE_SIZE", 2)
    client.force_login(loop.users["street"])
    url = reverse("cases:queue")
    first = client.get(url).content.decode()
    assert newest_first[0] in first and newest_first[2] not in first
    assert "共 3 条" in first
    after = first.split("after=")[1].split('"')[0]
    second = client.get(url, {"after": after}).content.decode()
    assert newest_first[2] in second and newest_first[0] not in second
    assert 'rel="prev"' in second and 'rel="next"' not in second
    by_number = client.get(url, {"page": 2}).content.decode()  # the old links still work
    assert newest_first[2] in by_number and newest_first[0] not in by_number
    junk = client.get(url, {"after": "not-a-cursor"})  # the first page
    assert junk.status_code == 200 and newest_first[0] in junk.content.decode()
    monkeypatch.setattr(pagination, "COUNT_CAP", 2)
    assert "超过 2 条" in client.get(url).content.decode()


def test_the_api_list_pages_by_cursor_and_by_number(client, loop):
    made = [_case(loop, f"第{i}件杂物") for i in range(5)]
    _case(loop, "街道乙的事", grid=loop.grid_b1)
    client.force_login(loop.users["community"])
    url = "/api/v1/cases"
    answer = client.get(url, {"page_size": 2}).json()
    assert answer["count"] == 5 and answer["count_capped"] is False
    assert answer["previous"] is None
    walked = [c["code"] for c in answer["items"]]
    while answer["next"]:
        answer = client.get(url, {"page_size": 2, "after": answer["next"]}).json()
        walked += [c["code"] for c in answer["items"]]
    assert walked == [c.code for c in reversed(made)]  # the newest first, street B's never
    back = client.get(url, {"page_size": 2, "before": answer["previous"]}).json()
    assert [c["code"] for c in back["items"]] == walked[2:4]
    second = client.get(url, {"page_size": 2, "page": 2}).json()
    assert [c["code"] for c in second["items"]] == walked[2:4]
    assert client.get(url, {"after": "garbage!"}).status_code == 422
    found = client.get(url, {"q": "第3件"}).json()
    assert [c["code"] for c in found["items"]] == [made[3].code]


def test_a_short_search_looks_at_the_last_days_in_scope(client, loop):
    """One or two characters (no trigram): the cases of the last SHORT_SEARCH_DAYS days in
    the viewer's scope, unless a period is given; three characters search every day
    (decision 0037)."""
    now = timezone.now()
    recent = _case(loop, "小区门口的路灯不亮了", created_at=now - timedelta(days=3))
    old = _case(loop, "小区门口的路灯不亮了", created_at=now - timedelta(days=200))
    _case(loop, "小区门口的路灯不亮了", grid=loop.grid_b1)  # another community's
    _case(loop, "楼道里堆满了杂物", created_at=now - timedelta(days=1))
    community = loop.users["community"]

    def found(q, **period):
        return set(_codes(selectors.case_list(user=community, q=q, **period)))

    assert found("路灯") == {recent.code}
    assert found("灯") == {recent.code}
    assert found("路灯不亮") == {recent.code, old.code}
    assert found("路灯", since=now - timedelta(days=365)) == {recent.code, old.code}
    client.force_login(community)
    page = client.get(reverse("cases:queue"), {"q": "路灯"}).content.decode()
    assert "data-short-search" in page and recent.code in page and old.code not in page
    # Dispatched to someone outside the place: found by the one it was dispatched to.
    outsider = loop.users["outsider"]
    far = _case(loop, "小区门口的路灯不亮了", grid=loop.grid_a1, handler=outsider)
    assert far.code in _codes(selectors.case_list(user=outsider, q="路灯"))
    assert recent.code not in _codes(selectors.case_list(user=outsider, q="路灯"))
    page = client.get(reverse("cases:queue"), {"q": "路灯不亮"}).content.decode()
    assert "data-short-search" not in page and old.code in page
