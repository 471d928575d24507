"""Saved filters (core.SavedFilter): kept only as the list's filter form cleans them, one's
own only, audited; the queue's panel saves, shows and deletes them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from genxi.core import selectors, services
from genxi.core.models import AuditEvent, SavedFilter


def test_a_filter_is_kept_as_the_lists_form_reads_it(world):
    me = world.users["community"]
    saved = services.saved_filter_create(
        actor=me,
        page="cases:queue",
        name="  彩香 超期  ",
        query="?queue=overdue&state=&region=320508012001&evil=<script>&page=3",
    )
    assert saved.name == "彩香 超期"
    assert saved.query == "queue=overdue&region=320508012001"  # unknown and empty left out
    event = AuditEvent.objects.get(verb="saved_filter.create")
    assert event.actor == me and event.after["query"] == saved.query


@pytest.mark.parametrize(
    ("page", "query", "field"),
    [
        ("cases:queue", "state=nonsense", "query"),
        ("cases:queue", "region=javascript:alert(1)", "query"),
        ("cases:queue", "queue=elsewhere", "query"),
        ("cases:detail", "queue=mine", "page"),  # keeps no filters
        ("https://evil.example/", "", "page"),
    ],
)
def test_a_filter_the_form_refuses_is_not_kept(world, page, query, field):
    with pytest.raises(ValidationError) as refused:
        services.saved_filter_create(actor=world.users["street"], page=page, name="x", query=query)
    assert field in refused.value.message_dict
    assert not SavedFilter.objects.exists() and not AuditEvent.objects.exists()


def test_names_are_unique_per_person_and_list(world):
    street, community = world.users["street"], world.users["community"]
    services.saved_filter_create(actor=street, page="cases:queue", name="督办", query="")
    services.saved_filter_create(actor=community, page="cases:queue", name="督办", query="")
    with pytest.raises(ValidationError):
        services.saved_filter_create(actor=street, page="cases:queue", name="督办", query="q=1")
    assert [f.name for f in selectors.saved_filter_list(user=street, page="cases:queue")] == [
        "督办"
    ]


def test_one_deletes_only_ones_own(client, world):
    street, community = world.users["street"], world.users["community"]
    theirs = services.saved_filter_create(actor=street, page="cases:queue", name="a", query="")
    with pytest.raises(PermissionDenied):
        services.saved_filter_delete(actor=community, saved=theirs)
    client.force_login(community)
    assert client.post(reverse("saved_filter_delete", args=[theirs.pk])).status_code == 404
    assert SavedFilter.objects.filter(pk=theirs.pk).exists()
    client.force_login(street)
    answer = client.post(reverse("saved_filter_delete", args=[theirs.pk]))
    assert answer.status_code == 302 and answer.url == reverse("cases:queue")
    assert not SavedFilter.objects.exists()
    assert AuditEvent.objects.filter(verb="saved_filter.delete", actor=street).count() == 1


def test_the_queue_saves_shows_and_deletes_a_filter(client, world):
    client.force_login(world.users["community"])
    query = f"queue=overdue&region={world.grid_a1.code}"
    queue = client.get(reverse("cases:queue") + "?" + query).content.decode()
    assert f'id="saved-query" value="{query.replace("&", "&amp;")}"' in queue
    saved = client.post(
        reverse("saved_filter_new"),
        {"page": "cases:queue", "name": "一网格超期", "query": query},
        HTTP_HX_REQUEST="true",
    )
    assert saved.status_code == 200
    chip = f'href="{reverse("cases:queue")}?{query.replace("&", "&amp;")}">一网格超期</a>'
    assert chip in saved.content.decode()
    assert chip in client.get(reverse("cases:queue")).content.decode()
    refused = client.post(
        reverse("saved_filter_new"),
        {"page": "cases:queue", "name": "一网格超期", "query": query},
        HTTP_HX_REQUEST="true",
    )
    assert refused.status_code == 400 and 'data-error-for="name"' in refused.content.decode()
    # The rows an htmx filter change brings keep the panel's query up to date.
    rows = client.get(reverse("cases:queue") + "?queue=mine", HTTP_HX_REQUEST="true")
    assert 'id="saved-query" value="queue=mine" hx-swap-oob="true"' in rows.content.decode()
    # Without script: back to the list, filtered.
    plain = client.post(
        reverse("saved_filter_new"), {"page": "cases:queue", "name": "我的", "query": "queue=mine"}
    )
    assert plain.status_code == 302 and plain.url == reverse("cases:queue") + "?queue=mine"
