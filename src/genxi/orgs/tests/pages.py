"""The readable routes of party organisations and partner units
(core/testing/page_matrix.py)."""

from django.urls import reverse

from genxi.core.testing.page_matrix import API, Page
from genxi.orgs.models import PartnerUnit, PartyLevel, PartyOrg

STAFF = ("system_admin", "street", "community", "grid", "unit", "outsider", "department")
# A grid worker sees the units' list, not a unit's page.
UNIT_READERS = ("system_admin", "street", "community", "unit", "outsider", "department")
LIST = {"*": 200}  # an API list answers what the caller may see: nothing, to some


def seed(side):
    """The side's unit carries its tag; a grid party branch with it too."""
    PartnerUnit.objects.filter(pk=side.unit.pk).update(name=f"{side.tag}共建单位")
    branch = PartyOrg.objects.create(
        level=PartyLevel.GRID_BRANCH, name=f"{side.tag}党支部", region=side.grid
    )
    return {"party_branch": branch}


PAGES = {
    "orgs:units": Page(lambda s: reverse("orgs:units"), STAFF),
    "orgs:unit": Page(lambda s: reverse("orgs:unit", args=[s.unit.pk]), UNIT_READERS),
    "orgs:party": Page(lambda s: reverse("orgs:party"), STAFF),
    "GET /api/v1/units": Page(lambda s: "/api/v1/units", answers=LIST, kind=API),
    "GET /api/v1/units/{unit_id}": Page(
        lambda s: f"/api/v1/units/{s.unit.pk}", UNIT_READERS, kind=API
    ),
}
