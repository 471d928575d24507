"""The public transparency pages and the open data (core/testing/page_matrix.py): open to
everyone, signed in or not; they show only aggregates and masked titles, so the page
matrix's scan for phones, ID numbers and addresses applies to them as to every page."""

from django.urls import reverse

from genxi.core.testing.page_matrix import PUBLIC, Page

ALL = {"*": 200}
# Every side's figures are public by design: the street's page names its communities.
SHOWS = {"*": "public aggregates of every street (docs/open-data.md)"}


def seed(side):
    return {}


PAGES = {
    "transparency:index": Page(lambda s: reverse("transparency:index"), kind=PUBLIC, answers=ALL),
    "transparency:place": Page(
        lambda s: reverse("transparency:place", args=[s.community.code]), kind=PUBLIC, answers=ALL
    ),
    "transparency:data_csv": Page(
        lambda s: reverse("transparency:data_csv", args=[s.community.parent.code]),
        kind=PUBLIC,
        answers=ALL,
    ),
    "transparency:data_json": Page(
        lambda s: reverse("transparency:data_json", args=[s.community.parent.code]),
        kind=PUBLIC,
        answers=ALL,
    ),
}
