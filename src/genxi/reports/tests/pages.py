"""The monthly reports' pages (core/testing/page_matrix.py): a street's or community's kept
reports and its downloads — each for the viewer's own area only, as its dashboard. The
workbook is fetched by every role (made on the spot: nothing is kept in this world); the
PDF is the same view (test_reports.py checks it), left out here for the time it takes."""

from django.urls import reverse
from django.utils import timezone

from genxi.core.testing.page_matrix import Page
from genxi.reports.selectors import last_complete_month

READERS = ("system_admin", "street", "department", "community")


def seed(side):
    return {}


def _month() -> str:
    return f"{last_complete_month(timezone.localdate()):%Y-%m}"


PAGES = {
    "reports:region": Page(lambda s: reverse("reports:region", args=[s.community.code]), READERS),
    "reports:make": Page(
        lambda s: reverse("reports:make", args=[s.community.code]), answers={"*": 405}
    ),
    "reports:download": Page(
        lambda s: reverse("reports:download", args=[s.community.code, _month(), "xlsx"]),
        READERS,
    ),
}
