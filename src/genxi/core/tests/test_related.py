"""The related-links registry: upper apps' links on a lower app's page, for the viewer."""

from genxi.core import related
from genxi.core.templatetags.genxi import related_links
from genxi.regions.models import Region


class _Request:
    def __init__(self, user):
        self.user = user


def test_providers_answer_for_their_model_only_in_order(world, monkeypatch):
    monkeypatch.setattr(related, "_PROVIDERS", {})
    seen = []

    def first(user, obj):
        seen.append((user, obj))
        return [related.Link(kind="甲", text=obj.name, url="/a/")]

    def second(user, obj):
        return [] if user is None else [related.Link(kind="乙", text="b", url="/b/")]

    related.register("regions.Region", first)
    related.register("regions.Region", first)  # once
    related.register("Regions.region", second)
    street = Region.objects.get(pk=world.street_a.pk)
    links = related.links_for(world.users["street"], street)
    assert [(link.kind, link.url) for link in links] == [("甲", "/a/"), ("乙", "/b/")]
    assert seen == [(world.users["street"], street)]
    assert related.links_for(world.users["street"], world.users["street"]) == []
    assert related_links({"request": _Request(world.users["street"])}, street)["links"] == links
    assert related_links({}, street) == {"links": []}
