"""Saved filters on the pioneers' and the residents' lists (core/saved_filters.py): kept as
each list's filter form reads it, shown as a chip, applied by its link, deleted."""

import pytest
from django.urls import reverse

from genxi.core import services
from genxi.core.models import SavedFilter
from genxi.core.testing.saved_filters import round_trip
from genxi.people.models import PioneerKind, ResidentTag


def test_pioneers_save_apply_and_delete_a_filter(client, world):
    world.pioneer(world.grid_a1, "P-001", "张红梅", kind=PioneerKind.GRID_WORKER)
    world.pioneer(world.grid_a2, "P-002", "李建国", kind=PioneerKind.GRID_WORKER)
    client.force_login(world.users["street"])
    query = f"kind={PioneerKind.GRID_WORKER}&grid={world.grid_a1.code}&active=1"
    round_trip(client, "people:pioneers", "一网格网格员", query, "张红梅", "李建国")


def test_residents_save_apply_and_delete_a_filter(client, world):
    world.resident(world.grid_a1, "王秀英", tags=[ResidentTag.ELDERLY_ALONE])
    world.resident(world.grid_a2, "赵志强", tags=[ResidentTag.ELDERLY_ALONE])
    client.force_login(world.users["street"])
    query = f"grid={world.grid_a1.code}&tag={ResidentTag.ELDERLY_ALONE}"
    round_trip(client, "people:residents", "一网格独居", query, "王秀英", "赵志强")


@pytest.mark.parametrize(
    ("page", "query", "kept"),
    [
        (
            "people:pioneers",
            "kind=party_member&grid=320508012001&skill=理发&active=0&q=张&page=2&format=xlsx&x=1",
            "kind=party_member&grid=320508012001&skill=%E7%90%86%E5%8F%91&active=0&q=%E5%BC%A0",
        ),
        ("people:pioneers", "active=&kind=&q=", ""),
        (
            "people:residents",
            "grid=320508012&tag=disabled&q=3幢&format=xlsx&evil=<script>",
            "grid=320508012&tag=disabled&q=3%E5%B9%A2",
        ),
    ],
)
def test_only_the_lists_filters_are_kept(world, page, query, kept):
    if "grid=320508012&" in query:
        query = query.replace("320508012", world.a1.code)
        kept = kept.replace("320508012", world.a1.code)
    saved = services.saved_filter_create(
        actor=world.users["street"], page=page, name="x", query=query
    )
    assert saved.query == kept


@pytest.mark.parametrize(
    ("page", "query"),
    [
        ("people:pioneers", "kind=mayor"),
        ("people:pioneers", "active=maybe"),
        ("people:pioneers", "grid=javascript:alert(1)"),
        ("people:residents", "tag=rich"),
        ("people:residents", "grid=12345"),
    ],
)
def test_a_filter_the_list_would_not_read_is_refused(client, world, page, query):
    client.force_login(world.users["street"])
    answer = client.post(
        reverse("saved_filter_new"),
        {"page": page, "name": "x", "query": query},
        HTTP_HX_REQUEST="true",
    )
    assert answer.status_code == 400 and 'data-error-for="query"' in answer.content.decode()
    assert not SavedFilter.objects.exists()


@pytest.mark.parametrize("page", ["people:pioneers", "people:residents"])
def test_the_rows_keep_the_panels_query_up_to_date(client, world, page):
    client.force_login(world.users["street"])
    rows = client.get(reverse(page) + "?q=abc", HTTP_HX_REQUEST="true").content.decode()
    assert 'id="saved-query" value="q=abc" hx-swap-oob="true"' in rows
