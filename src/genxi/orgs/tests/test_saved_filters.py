"""Saved filters on the partner units' list (core/saved_filters.py): kept as the list's
filter form reads it, shown as a chip, applied by its link, deleted."""

import pytest
from django.urls import reverse

from genxi.core import services
from genxi.core.models import SavedFilter
from genxi.core.testing.saved_filters import round_trip
from genxi.orgs.models import UnitKind


def test_units_save_apply_and_delete_a_filter(client, world):
    world.unit(world.street_a, "U-901", "姑苏义工联合会", pair_with=[world.a1])
    world.unit(world.street_a, "U-902", "沧浪志愿者协会", pair_with=[world.a2])
    client.force_login(world.users["street"])
    query = f"kind={UnitKind.SOCIAL_ORG}&community={world.a1.code}"
    round_trip(client, "orgs:units", "彩香结对", query, "姑苏义工联合会", "沧浪志愿者协会")


def test_deleting_without_script_goes_back_to_the_list(client, world):
    street = world.users["street"]
    kept = services.saved_filter_create(actor=street, page="orgs:units", name="x", query="q=局")
    client.force_login(street)
    plain = client.post(reverse("saved_filter_delete", args=[kept.pk]))
    assert plain.status_code == 302 and plain.url == reverse("orgs:units")
    assert not SavedFilter.objects.exists()


def test_only_the_lists_filters_are_kept(world):
    saved = services.saved_filter_create(
        actor=world.users["street"],
        page="orgs:units",
        name="x",
        query=f"kind=government&community={world.a1.code}&q=局&page=4&region=1",
    )
    assert saved.query == f"kind=government&community={world.a1.code}&q=%E5%B1%80"


@pytest.mark.parametrize("query", ["kind=club", f"community={'1' * 15}", "community=abc"])
def test_a_filter_the_list_would_not_read_is_refused(client, world, query):
    client.force_login(world.users["street"])
    answer = client.post(
        reverse("saved_filter_new"),
        {"page": "orgs:units", "name": "x", "query": query},
        HTTP_HX_REQUEST="true",
    )
    assert answer.status_code == 400 and 'data-error-for="query"' in answer.content.decode()
    assert not SavedFilter.objects.exists()
