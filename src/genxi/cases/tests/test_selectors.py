"""The one set of case filters the lists, the API and the metrics share."""

from datetime import timedelta

from django.utils import timezone

from genxi.cases import selectors, services
from genxi.cases.models import Case, Category


def _case(world, text, grid, category_code):
    return services.case_create(
        actor=world.users["street"],
        channel="phone",
        text=text,
        region=grid,
        category=Category.objects.get(code=category_code),
    )


def test_one_filter_for_lists_api_and_metrics(loop):
    rubbish = _case(loop, "楼道里堆满了杂物", loop.grid_a1, "ENV.02")
    lamp = _case(loop, "路灯坏了晚上很黑", loop.grid_a2, "FAC.02")
    other = _case(loop, "物业不修门禁", loop.grid_a1b, "PROP.01")
    services.case_act(actor=loop.users["street"], case=lamp, action="accept")
    Case.objects.filter(pk=lamp.pk).update(handler=loop.users["grid"])
    everything = Case.objects.all()

    def codes(**filters):
        return set(selectors.filter_cases(everything, **filters).values_list("code", flat=True))

    assert codes() == {rubbish.code, lamp.code, other.code}
    assert codes(category="ENV") == codes(category="ENV.02") == {rubbish.code}
    assert codes(category="EN") == codes(category="ENV.0") == set()  # a code, not a prefix
    assert codes(region=loop.a1.code) == {rubbish.code, other.code}  # a community: its grids
    assert codes(region=loop.grid_a2.code) == {lamp.code}
    assert codes(region=loop.street_a.code) == codes()
    assert codes(region=loop.grid_a1.code[:-1]) == set()  # a code, not a prefix of one
    assert codes(state="accepted") == {lamp.code}
    assert codes(q="路灯") == codes(q=lamp.code.lower()) == {lamp.code}
    assert codes(handler=loop.users["grid"].pk) == {lamp.code}
    now = timezone.now()
    assert codes(since=now - timedelta(hours=1), until=now + timedelta(hours=1)) == codes()
    assert codes(since=now + timedelta(hours=1)) == codes(until=now - timedelta(hours=1)) == set()
    assert codes(category="FAC", region=loop.a1.code) == set()

    # The queue list, the API (which calls case_list) and the metrics give the same cases.
    user = loop.users["street"]
    listed = selectors.case_list(user=user, category="ENV", region=loop.a1.code)
    assert [c.code for c in listed] == [rubbish.code]
    assert selectors.metrics(user=user, category="ENV", region=loop.a1.code)["received"] == 1
    assert selectors.metrics(user=user, region=loop.a2.code)["received"] == 1
