"""The readable routes of field work (core/testing/page_matrix.py). Households, plans and
visits are read by whoever sees the grid's residents; care records only by the grid's
workers and the community's staff; the posts answer GET with 405."""

from django.urls import reverse
from django.utils import timezone

from genxi.core.testing.page_matrix import Page
from genxi.fieldwork import services
from genxi.fieldwork.models import Household
from genxi.people.models import Pioneer

# Those who see residents: street A's admin, the community and grid workers, street B's.
RESIDENT_READERS = ("street", "community", "grid", "outsider")
DETAIL_READERS = ("street", "community", "grid")
CARE_READERS = ("community", "grid")
POST_ONLY = {"*": 405}


def seed(side):
    """A household (two residents, one an elderly person living alone) on the side's grid
    with a pioneer, a plan item, a visit and a care round."""
    elder = side.world.resident(
        side.grid,
        f"{side.tag}老人",
        address=f"{side.tag}新村5幢2单元301室",
        tags=["elderly_alone"],
    )
    side.world.resident(side.grid, f"{side.tag}女儿", address=f"{side.tag}新村5幢2单元301室")
    household = Household.objects.get(members__resident=elder)
    pioneer = Pioneer.objects.create(
        code=f"P-{side.name}-FW",
        name=f"{side.tag}先锋",
        grid=side.grid,
        kind="grid_worker",
        phone="13900005678",
    )
    services.plan_generate(actor=side.staff, grid=side.grid, month=timezone.localdate())
    visit = services.visit_record(
        actor=side.handler, household=household, pioneer=pioneer, note=f"{side.tag}走访情况"
    )
    services.care_round_record(actor=side.handler, resident=elder, outcome="well")
    return {"household": household, "visit": visit, "elder": elder}


PAGES = {
    "fieldwork:home": Page(lambda s: reverse("fieldwork:home"), RESIDENT_READERS),
    "fieldwork:households": Page(lambda s: reverse("fieldwork:households"), RESIDENT_READERS),
    "fieldwork:household": Page(
        lambda s: reverse("fieldwork:household", args=[s.household.pk]), DETAIL_READERS
    ),
    "fieldwork:visit": Page(
        lambda s: reverse("fieldwork:visit", args=[s.visit.pk]), DETAIL_READERS
    ),
    "fieldwork:plan": Page(lambda s: reverse("fieldwork:plan"), RESIDENT_READERS),
    "fieldwork:care": Page(lambda s: reverse("fieldwork:care"), CARE_READERS),
    "fieldwork:care_resident": Page(
        lambda s: reverse("fieldwork:care_resident", args=[s.elder.pk]), CARE_READERS
    ),
    "fieldwork:today": Page(lambda s: reverse("fieldwork:today"), RESIDENT_READERS),
    # A community's summary: its staff and the streets over it (a grid worker picks none).
    "fieldwork:weekly": Page(
        lambda s: reverse("fieldwork:weekly"), ("street", "community", "outsider")
    ),
    "fieldwork:cycle": Page(
        lambda s: reverse("fieldwork:cycle", args=[s.community.code]), answers=POST_ONLY
    ),
    "fieldwork:rebuild": Page(
        lambda s: reverse("fieldwork:rebuild", args=[s.community.code]), answers=POST_ONLY
    ),
    "fieldwork:visit_new": Page(
        lambda s: reverse("fieldwork:visit_new", args=[s.household.pk]), answers=POST_ONLY
    ),
    "fieldwork:visit_case": Page(
        lambda s: reverse("fieldwork:visit_case", args=[s.visit.pk]), answers=POST_ONLY
    ),
    "fieldwork:plan_generate": Page(
        lambda s: reverse("fieldwork:plan_generate", args=[s.grid.code]), answers=POST_ONLY
    ),
    "fieldwork:plan_assign": Page(
        lambda s: reverse("fieldwork:plan_assign", args=[1]), answers=POST_ONLY
    ),
    "fieldwork:care_rule": Page(
        lambda s: reverse("fieldwork:care_rule", args=[s.community.code]), answers=POST_ONLY
    ),
    "fieldwork:care_new": Page(
        lambda s: reverse("fieldwork:care_new", args=[s.elder.pk]), answers=POST_ONLY
    ),
}
