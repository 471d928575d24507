"""The dashboards' pages (core/testing/page_matrix.py): the start, which sends a viewer with
one place to its dashboard, and a community's and a grid's dashboards — each for the
viewer's own area only (the street's staff and departments over their street, the
community's worker over the community, the grid's worker over the grid)."""

from django.urls import reverse

from genxi.core.testing.page_matrix import Page

# One place each: straight to its dashboard. The system admin chooses among the streets.
HOME = {
    "system_admin": 200,
    "street": 302,
    "outsider": 302,
    "department": 302,
    "community": 302,
    "grid": 302,
}


def seed(side):
    return {}


PAGES = {
    "dashboards:home": Page(lambda s: reverse("dashboards:home"), answers=HOME),
    "dashboards:region": [
        Page(
            lambda s: reverse("dashboards:region", args=[s.community.code]),
            ("system_admin", "street", "department", "community"),
        ),
        Page(
            lambda s: reverse("dashboards:region", args=[s.grid.code]),
            ("system_admin", "street", "department", "community", "grid"),
            variant="grid",
        ),
    ],
    # The map's case points, fetched by the dashboard once drawn: scoped like the page.
    "dashboards:points": Page(
        lambda s: reverse("dashboards:points", args=[s.community.code]),
        ("system_admin", "street", "department", "community"),
    ),
}
