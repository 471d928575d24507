"""A grid's page lists its pioneers through the panel people registers with regions
(regions imports nothing of people); other levels have no such panel."""

from django.urls import reverse


def test_a_grid_page_lists_its_pioneers_and_a_community_page_does_not(client, world):
    world.pioneer(world.grid_a1, "P-A1-1", name="张先锋")
    world.pioneer(world.grid_a1b, "P-A1B-1", name="李先锋")
    client.force_login(world.users["community"])
    grid_page = client.get(reverse("regions:detail", args=[world.grid_a1.pk])).content.decode()
    assert "本网格海棠先锋" in grid_page
    assert "张先锋" in grid_page and "李先锋" not in grid_page
    community = client.get(reverse("regions:detail", args=[world.a1.pk])).content.decode()
    assert "本网格海棠先锋" not in community
