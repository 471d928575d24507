"""The router: the locator and address matching through the service, handler rules. (The
category suggestions: test_suggestions.py.)"""

from genxi.cases import routing


def test_place_by_point_address_and_reporter(loop):
    loop.building(loop.grid_a2, "彩香二村", "8")
    assert (
        routing.find_place(lat=31.3225, lon=120.591, address="", reporter=None).region
        == loop.grid_a2
    )
    by_address = routing.find_place(
        lat=None, lon=None, address="彩香二村 8 号楼 301", reporter=None
    )
    assert by_address.region == loop.grid_a2 and by_address.how == "address"
    outside = routing.find_place(lat=10.0, lon=10.0, address="彩香二村8栋", reporter=None)
    assert outside.how == "address"  # a point outside every grid falls back to the address


def test_handler_rules(loop):
    from genxi.cases.models import RoutingRule

    assert routing.suggest_handler("ENV.01", loop.grid_a1) == loop.users["grid"]
    RoutingRule.objects.create(
        category_prefix="PROP", region=loop.street_a, handler=loop.users["unit"]
    )
    assert routing.suggest_handler("PROP.01", loop.grid_a1) == loop.users["unit"]
    assert routing.suggest_handler("ENV.01", loop.grid_a1) == loop.users["grid"]
    unit = loop.users["unit"]
    unit.is_active = False
    unit.save()  # the process's kept rules are dropped: the rule's handler is gone
    assert routing.suggest_handler("PROP.01", loop.grid_a1) == loop.users["grid"]


def test_the_rules_and_the_grids_worker_are_kept_until_one_changes(loop):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from genxi.cases.models import RoutingRule
    from genxi.people.models import Pioneer

    RoutingRule.objects.create(category_prefix="PROP", handler=loop.users["unit"])
    routing.suggest_handler("ENV.01", loop.grid_a1)
    with CaptureQueriesContext(connection) as q:
        assert routing.suggest_handler("PROP.01", loop.grid_a1) == loop.users["unit"]
        assert routing.suggest_handler("ENV.01", loop.grid_a1) == loop.users["grid"]
    assert not q.captured_queries
    for pioneer in Pioneer.objects.filter(user=loop.users["grid"]):
        pioneer.active = False
        pioneer.save()  # seen at once in this process
    assert routing.suggest_handler("ENV.01", loop.grid_a1) != loop.users["grid"]
