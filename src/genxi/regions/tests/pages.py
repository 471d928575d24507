"""The readable routes of the tree of places (core/testing/page_matrix.py)."""

from django.urls import reverse

from genxi.core.testing.page_matrix import API, Page

STAFF = ("system_admin", "street", "community", "grid", "unit", "outsider", "department")
# A liaison sees no place's page; a grid worker its grid's, not its community's.
PLACES = ("system_admin", "street", "community", "grid", "outsider", "department")
COMMUNITIES = ("system_admin", "street", "community", "outsider", "department")
# An API list answers what the caller may see: nothing, to a role without data.
LIST = {"*": 200}

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
    "regions:detail": [
        Page(lambda s: reverse("regions:detail", args=[s.grid.pk]), PLACES),
        Page(
            lambda s: reverse("regions:detail", args=[s.community.pk]),
            COMMUNITIES,
            variant="community",
        ),
    ],
    "GET /api/v1/grids": Page(lambda s: "/api/v1/grids", answers=LIST, kind=API),
    "GET /api/v1/grids/{grid_id}": Page(lambda s: f"/api/v1/grids/{s.grid.pk}", PLACES, kind=API),
}
