"""The readable routes of the tree of places (core/testing/page_matrix.py)."""

from django.urls import reverse

from genxi.core.testing.page_matrix import API, Page
from genxi.regions import services

STAFF = ("system_admin", "street", "community", "grid", "unit", "outsider", "department")
# A liaison sees no place's page; a grid worker its grid's, not its community's.
PLACES = ("system_admin", "street", "community", "grid", "outsider", "department")
COMMUNITIES = ("system_admin", "street", "community", "outsider", "department")
# An API list answers what the caller may see: nothing, to a role without data.
LIST = {"*": 200}
POST_ONLY = {"*": 405}  # the form is on the community's gazetteer page

# The gazetteers' start: one community in view goes straight to it (302); a street's staff
# choose from a list; a role that sees no place data is refused.
ADDRESSES = {
    "system_admin": 200,
    "street": 200,
    "outsider": 302,  # street B has one community
    "department": 200,
    "community": 302,
    "grid": 200,
    "unit": 200,
}


def seed(side):
    """An estate of the side's community, its buildings in the side's grid."""
    estate = services.estate_create(
        actor=side.staff,
        community=side.community,
        name=f"{side.tag}花园",
        numbers=["1", "2"],
        grid=side.grid,
    )
    return {"estate": estate}


PAGES = {
    "home": Page(lambda s: reverse("home"), answers={"*": 200}),
    "regions:tree": Page(lambda s: reverse("regions:tree"), STAFF),
    "regions:map": Page(lambda s: reverse("regions:map"), STAFF),
    "regions:geojson": [
        Page(lambda s: reverse("regions:geojson"), STAFF),
        Page(
            lambda s: f"{reverse('regions:geojson')}?community={s.community.code}",
            COMMUNITIES,
            variant="community",
        ),
    ],
    # The base layer is public geography: every role that sees places gets all of it.
    "regions:basemap": Page(lambda s: reverse("regions:basemap"), STAFF),
    "regions:detail": [
        Page(lambda s: reverse("regions:detail", args=[s.grid.pk]), PLACES),
        Page(
            lambda s: reverse("regions:detail", args=[s.community.pk]),
            COMMUNITIES,
            variant="community",
        ),
    ],
    # The address gazetteer: a community's staff keep it, the street reads it.
    "regions:addresses": Page(lambda s: reverse("regions:addresses"), answers=ADDRESSES),
    "regions:gazetteer": Page(
        lambda s: reverse("regions:gazetteer", args=[s.community.pk]), COMMUNITIES
    ),
    "regions:gazetteer_export": Page(
        lambda s: reverse("regions:gazetteer_export", args=[s.community.pk]), COMMUNITIES
    ),
    **{
        name: Page(lambda s, name=name: reverse(name, args=[s.community.pk]), answers=POST_ONLY)
        for name in (
            "regions:estate_new",
            "regions:gazetteer_import",
            "regions:contact",
            "regions:estate_edit",
            "regions:estate_delete",
            "regions:buildings_assign",
            "regions:buildings_remove",
        )
    },
    "GET /api/v1/grids": Page(lambda s: "/api/v1/grids", answers=LIST, kind=API),
    "GET /api/v1/grids/{grid_id}": Page(lambda s: f"/api/v1/grids/{s.grid.pk}", PLACES, kind=API),
}
