"""The readable routes of residents, pioneers and imports (core/testing/page_matrix.py)."""

from django.urls import reverse

from genxi.core.testing.page_matrix import API, Page
from genxi.core.testing.world import next_id_number
from genxi.people.models import ImportJob, ImportKind, ImportStatus

STAFF = ("system_admin", "street", "community", "grid", "unit", "outsider", "department")
# Residents need view_residents: not the system admin, a liaison or a department officer.
RESIDENT_READERS = ("street", "community", "grid", "outsider")
# A liaison sees the pioneers' list, not a pioneer's page.
PIONEER_READERS = ("system_admin", "street", "community", "grid", "outsider", "department")
LIST = {"*": 200}  # an API list answers what the caller may see: nothing, to some
IMPORTERS = ("system_admin", "street", "community", "outsider")
PHONES = {"in": "13912340001", "near": "13912340002", "out": "13912340003"}


def seed(side):
    """A resident and a pioneer on the side's grid, with numbers of their own, and an
    import into the side's community."""
    n = {"in": 1, "near": 2, "out": 3}[side.name]
    resident = side.world.resident(
        side.grid,
        f"{side.tag}居民",
        phone=PHONES[side.name],
        id_number=next_id_number(),
        address=f"{side.tag}新村{n}幢2单元30{n}室",
    )
    pioneer = side.world.pioneer(
        side.grid, f"P-PAGE-{n}", f"{side.tag}先锋", phone=f"1360000000{n}"
    )
    job = ImportJob.objects.create(
        kind=ImportKind.RESIDENTS,
        file=f"imports/page-{n}.xlsx",  # a name only: no upload is kept (test_import_hardening)
        filename=f"{side.tag}名单.xlsx",
        created_by=side.staff,
        region=side.community,
        status=ImportStatus.DONE,
    )
    return {"resident": resident, "pioneer": pioneer, "import_job": job}


PAGES = {
    "people:pioneers": [
        Page(lambda s: reverse("people:pioneers"), STAFF),
        Page(lambda s: reverse("people:pioneers") + "?format=xlsx", STAFF, variant="xlsx"),
    ],
    "people:pioneer": Page(
        lambda s: reverse("people:pioneer", args=[s.pioneer.pk]), PIONEER_READERS
    ),
    "people:residents": [
        Page(lambda s: reverse("people:residents"), RESIDENT_READERS),
        Page(
            lambda s: reverse("people:residents") + "?format=xlsx",
            RESIDENT_READERS,
            variant="xlsx",
        ),
    ],
    "people:resident": Page(
        lambda s: reverse("people:resident", args=[s.resident.pk]), RESIDENT_READERS
    ),
    "people:resident_sms_consent": Page(
        lambda s: reverse("people:resident_sms_consent", args=[s.resident.pk]),
        answers={"*": 405},
    ),
    "people:resident_reveal": Page(
        lambda s: reverse("people:resident_reveal", args=[s.resident.pk]), answers={"*": 405}
    ),
    "people:imports": Page(lambda s: reverse("people:imports"), IMPORTERS),
    "people:import": Page(lambda s: reverse("people:import", args=[s.import_job.pk]), IMPORTERS),
    "people:import_confirm": Page(
        lambda s: reverse("people:import_confirm", args=[s.import_job.pk]), answers={"*": 405}
    ),
    "people:import_discard": Page(
        lambda s: reverse("people:import_discard", args=[s.import_job.pk]), answers={"*": 405}
    ),
    # The system admin imports organisation data, not residents: no residents' template.
    "people:import_template": [
        Page(
            lambda s, k=kind: reverse("people:import_template", args=[k]),
            tuple(r for r in IMPORTERS if kind != "residents" or r != "system_admin"),
            variant=kind,
        )
        for kind in ImportKind.values
    ],
    "GET /api/v1/pioneers": Page(lambda s: "/api/v1/pioneers", answers=LIST, kind=API),
    "GET /api/v1/pioneers/{pioneer_id}": Page(
        lambda s: f"/api/v1/pioneers/{s.pioneer.pk}", PIONEER_READERS, kind=API
    ),
    "GET /api/v1/residents": Page(lambda s: "/api/v1/residents", answers=LIST, kind=API),
    "GET /api/v1/residents/{resident_id}": Page(
        lambda s: f"/api/v1/residents/{s.resident.pk}", RESIDENT_READERS, kind=API
    ),
}
